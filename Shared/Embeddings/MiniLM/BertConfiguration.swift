import Foundation

/// The BERT hyper-parameters the encoder needs, read from the model's config.json.
struct BertConfiguration: Sendable, Equatable {
    var vocabularySize = 30522
    var hiddenSize = 384
    var layerCount = 6
    var headCount = 12
    var intermediateSize = 1536
    var maxPositions = 512
    var typeVocabularySize = 2
    var layerNormEpsilon: Float = 1e-12

    var headSize: Int { hiddenSize / headCount }

    /// all-MiniLM-L6-v2's values.
    static let miniLML6 = BertConfiguration()

    struct InvalidConfiguration: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses a Hugging Face BERT config.json (`model_type` bert, `hidden_act` gelu).
    init(json data: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InvalidConfiguration(description: "not a JSON object")
        }
        func integer(_ key: String) throws -> Int {
            guard let value = (object[key] as? NSNumber)?.intValue, value > 0 else {
                throw InvalidConfiguration(description: "\(key) is missing or not a positive integer")
            }
            return value
        }
        if let type = object["model_type"] as? String, type != "bert" {
            throw InvalidConfiguration(description: "model_type is \(type), expected bert")
        }
        if let activation = object["hidden_act"] as? String, activation != "gelu" {
            throw InvalidConfiguration(description: "hidden_act is \(activation); only exact gelu is implemented")
        }
        if let embedding = object["position_embedding_type"] as? String, embedding != "absolute" {
            throw InvalidConfiguration(description: "position_embedding_type is \(embedding), expected absolute")
        }
        vocabularySize = try integer("vocab_size")
        hiddenSize = try integer("hidden_size")
        layerCount = try integer("num_hidden_layers")
        headCount = try integer("num_attention_heads")
        intermediateSize = try integer("intermediate_size")
        maxPositions = try integer("max_position_embeddings")
        typeVocabularySize = (object["type_vocab_size"] as? NSNumber)?.intValue ?? 2
        layerNormEpsilon = (object["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
        guard hiddenSize % headCount == 0, hiddenSize % VectorMath.width == 0 else {
            throw InvalidConfiguration(description: "hidden_size \(hiddenSize) does not split into \(headCount) heads")
        }
    }

    init() {}
}

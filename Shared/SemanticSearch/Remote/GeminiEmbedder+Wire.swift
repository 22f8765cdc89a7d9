/// The JSON of `batchEmbedContents`, as documented for the Generative Language API v1beta.
extension GeminiEmbedder {
    struct BatchRequest: Encodable {
        struct Item: Encodable {
            struct Content: Encodable {
                struct Part: Encodable { var text: String }
                var parts: [Part]
            }
            var model: String
            var content: Content
            var taskType: String
            var outputDimensionality: Int
        }
        var requests: [Item]
    }

    struct BatchResponse: Decodable {
        struct Embedding: Decodable { var values: [Float] }
        var embeddings: [Embedding]
    }
}

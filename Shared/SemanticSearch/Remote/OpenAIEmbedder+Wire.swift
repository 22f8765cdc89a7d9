/// The JSON of OpenAI's embeddings endpoint (the subset compatible servers implement).
extension OpenAIEmbedder {
    struct EmbeddingsRequest: Encodable {
        var model: String
        var input: [String]
        /// Omitted from the JSON when nil.
        var dimensions: Int?
    }

    struct EmbeddingsResponse: Decodable {
        struct Item: Decodable {
            var index: Int?
            var embedding: [Float]
        }
        var data: [Item]
    }
}

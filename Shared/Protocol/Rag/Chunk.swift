/// One piece of a document as stored and searched: `{"id", "chunk_index", "content"}`.
public struct Chunk: Sendable, Equatable, Codable {
    public var id: String
    /// 0-based position in the document.
    public var chunkIndex: Int
    public var content: String

    public init(id: String, chunkIndex: Int, content: String) {
        self.id = id
        self.chunkIndex = chunkIndex
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case id
        case chunkIndex = "chunk_index"
        case content
    }
}

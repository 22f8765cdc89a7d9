/// One ranked chunk: `{"chunk_id", "document_id", "filename", "chunk_index", "content",
/// "score", "vector_rank", "keyword_rank"}`.
///
/// Ranks start at 1 and are `null` (always written) when the chunk was not in that ranking, so
/// a client can see why a hybrid hit scored as it did.
public struct SearchHit: Sendable, Equatable, Codable {
    public var chunkID: String
    public var documentID: String
    public var filename: String
    public var chunkIndex: Int
    public var content: String
    /// Fused RRF score in `hybrid`, cosine similarity in `vector`, text rank in `keyword`.
    public var score: Double
    public var vectorRank: Int?
    public var keywordRank: Int?

    public init(
        chunkID: String,
        documentID: String,
        filename: String,
        chunkIndex: Int,
        content: String,
        score: Double,
        vectorRank: Int? = nil,
        keywordRank: Int? = nil
    ) {
        self.chunkID = chunkID
        self.documentID = documentID
        self.filename = filename
        self.chunkIndex = chunkIndex
        self.content = content
        self.score = score
        self.vectorRank = vectorRank
        self.keywordRank = keywordRank
    }

    enum CodingKeys: String, CodingKey {
        case chunkID = "chunk_id"
        case documentID = "document_id"
        case filename
        case chunkIndex = "chunk_index"
        case content
        case score
        case vectorRank = "vector_rank"
        case keywordRank = "keyword_rank"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(chunkID, forKey: .chunkID)
        try container.encode(documentID, forKey: .documentID)
        try container.encode(filename, forKey: .filename)
        try container.encode(chunkIndex, forKey: .chunkIndex)
        try container.encode(content, forKey: .content)
        try container.encode(score, forKey: .score)
        try container.encodeNullable(vectorRank, forKey: .vectorRank)
        try container.encodeNullable(keywordRank, forKey: .keywordRank)
    }
}

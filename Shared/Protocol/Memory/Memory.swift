public import Foundation

/// A long-term fact or preference about the user, searchable by meaning.
public struct Memory: Sendable, Equatable, Codable {
    public var id: String
    public var text: String
    /// `[a-z0-9_-]{1,64}`; `general` by default.
    public var category: String
    /// Where the memory came from (`api`, `scan`, an agent's name).
    public var source: String
    /// 0–1: how sure the writer was.
    public var confidence: Double
    public var createdAt: Date
    public var updatedAt: Date
    public var metadata: JSONObject
    /// True when the write matched an existing near-duplicate and that memory was refreshed and
    /// returned instead (status 200 instead of 201).
    public var deduplicated: Bool

    public init(
        id: String,
        text: String,
        category: String = CreateMemoryRequest.defaultCategory,
        source: String = CreateMemoryRequest.defaultSource,
        confidence: Double = CreateMemoryRequest.defaultConfidence,
        createdAt: Date,
        updatedAt: Date,
        metadata: JSONObject = [:],
        deduplicated: Bool = false
    ) {
        self.id = id
        self.text = text
        self.category = category
        self.source = source
        self.confidence = confidence
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.metadata = metadata
        self.deduplicated = deduplicated
    }

    enum CodingKeys: String, CodingKey {
        case id
        case text
        case category
        case source
        case confidence
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case metadata
        case deduplicated
    }
}

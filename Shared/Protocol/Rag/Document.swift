public import Foundation

/// A stored document. Its chunks are listed separately (`/api/v1/documents/{id}/chunks`).
public struct Document: Sendable, Equatable, Codable {
    public var id: String
    public var filename: String
    public var docType: DocumentType
    /// Lowercase hex SHA-256 of `content` exactly as received: the per-user dedup key.
    public var fileHash: String
    public var totalChunks: Int
    public var indexedAt: Date
    public var metadata: JSONObject
    /// True when the upload matched a document already stored for this user and that one was
    /// returned (status 200 instead of 201).
    public var deduplicated: Bool

    public init(
        id: String,
        filename: String,
        docType: DocumentType,
        fileHash: String,
        totalChunks: Int,
        indexedAt: Date,
        metadata: JSONObject = [:],
        deduplicated: Bool = false
    ) {
        self.id = id
        self.filename = filename
        self.docType = docType
        self.fileHash = fileHash
        self.totalChunks = totalChunks
        self.indexedAt = indexedAt
        self.metadata = metadata
        self.deduplicated = deduplicated
    }

    enum CodingKeys: String, CodingKey {
        case id
        case filename
        case docType = "doc_type"
        case fileHash = "file_hash"
        case totalChunks = "total_chunks"
        case indexedAt = "indexed_at"
        case metadata
        case deduplicated
    }
}

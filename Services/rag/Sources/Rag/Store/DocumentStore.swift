import ApexProtocol
import ServiceKit

/// Where documents, their chunks and their vectors live. Every call acts for one user.
protocol DocumentStore: Sendable {
    func document(withHash fileHash: String, userID: String) async throws -> Document?
    /// Stores the document and all its chunks atomically; an identical document stored meanwhile
    /// by a racing upload is returned instead, marked `deduplicated`.
    func insert(_ document: NewDocument, chunks: [String], embeddings: [[Float]]) async throws -> Document
    func document(id: String, userID: String) async throws -> Document?
    func documents(userID: String, limit: Int, after cursor: KeysetCursor?) async throws -> Page<Document>
    /// True when a document was deleted (its chunks go with it).
    func deleteDocument(id: String, userID: String) async throws -> Bool
    /// nil when the document does not exist for this user.
    func chunks(documentID: String, userID: String, limit: Int, after cursor: KeysetCursor?) async throws -> Page<Chunk>?
    func search(_ query: ChunkSearch, userID: String) async throws -> [SearchHit]
}

/// The answer to `POST /api/v1/context`.
///
/// `partial` is true when a side failed or ran out of time; the other side's results are still
/// here and `errors` says which side is missing and why, so an agent can proceed with half the
/// context rather than none.
public struct ContextResponse: Sendable, Equatable, Codable {
    public var query: String
    public var memories: [MemoryHit]
    public var documents: [SearchHit]
    public var partial: Bool
    public var errors: [ContextSourceError]

    public init(
        query: String,
        memories: [MemoryHit],
        documents: [SearchHit],
        partial: Bool? = nil,
        errors: [ContextSourceError] = []
    ) {
        self.query = query
        self.memories = memories
        self.documents = documents
        self.partial = partial ?? !errors.isEmpty
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case query
        case memories
        case documents
        case partial
        case errors
    }
}

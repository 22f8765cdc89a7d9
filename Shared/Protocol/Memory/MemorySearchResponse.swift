/// The answer to `POST /api/v1/memories/search`: hits best first.
public struct MemorySearchResponse: Sendable, Equatable, Codable {
    public var results: [MemoryHit]

    public init(results: [MemoryHit]) {
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case results
    }
}

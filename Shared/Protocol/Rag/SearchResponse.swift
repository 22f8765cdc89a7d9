/// The answer to `POST /api/v1/search`: hits best first, with the query and the mode that was
/// actually used (the default applied).
public struct SearchResponse: Sendable, Equatable, Codable {
    public var query: String
    public var mode: SearchMode
    public var results: [SearchHit]

    public init(query: String, mode: SearchMode, results: [SearchHit]) {
        self.query = query
        self.mode = mode
        self.results = results
    }

    enum CodingKeys: String, CodingKey {
        case query
        case mode
        case results
    }
}

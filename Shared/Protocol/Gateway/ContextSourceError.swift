/// Why one side of a context request is missing: `{"source": "rag", "code": "upstream_timeout"}`.
public struct ContextSourceError: Sendable, Hashable, Codable {
    /// The backend that failed (`memory` or `rag`).
    public var source: ServiceName
    /// What its failure amounted to, in the API's own codes.
    public var code: ProblemCode

    public init(source: ServiceName, code: ProblemCode) {
        self.source = source
        self.code = code
    }

    enum CodingKeys: String, CodingKey {
        case source
        case code
    }
}

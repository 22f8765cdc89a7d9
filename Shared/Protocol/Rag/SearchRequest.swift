/// `POST /api/v1/search`.
public struct SearchRequest: Sendable, Equatable, Codable {
    public static let queryLength = 1...2000
    public static let limitRange = 1...50
    public static let defaultLimit = 10
    public static let defaultMode = SearchMode.hybrid

    public var query: String
    public var limit: Int?
    public var mode: SearchMode?
    /// Restricts the search to these of the caller's documents; ids that are not the caller's
    /// match nothing (no error). `nil` searches everything.
    public var documentIDs: [String]?

    public init(query: String, limit: Int? = nil, mode: SearchMode? = nil, documentIDs: [String]? = nil) {
        self.query = query
        self.limit = limit
        self.mode = mode
        self.documentIDs = documentIDs
    }

    public var resolvedLimit: Int { limit ?? Self.defaultLimit }
    public var resolvedMode: SearchMode { mode ?? Self.defaultMode }

    enum CodingKeys: String, CodingKey {
        case query
        case limit
        case mode
        case documentIDs = "document_ids"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        query = try container.decode(String.self, forKey: .query)
        limit = try container.decodeIntegerIfPresent(forKey: .limit)
        mode = try container.decodeIfPresent(SearchMode.self, forKey: .mode)
        documentIDs = try container.decodeIfPresent([String].self, forKey: .documentIDs)
    }
}

extension SearchRequest: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.length(query, "query", in: Self.queryLength)
        rules.range(limit, "limit", in: Self.limitRange)
        return rules.errors
    }
}

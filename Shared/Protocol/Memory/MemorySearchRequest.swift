/// `POST /api/v1/memories/search`.
public struct MemorySearchRequest: Sendable, Equatable, Codable {
    /// Same bounds as document search: the context endpoint forwards one query to both.
    public static let queryLength = 1...2000
    public static let limitRange = 1...50
    public static let defaultLimit = 5

    public var query: String
    public var limit: Int?
    /// Restricts the search to one category.
    public var category: String?

    public init(query: String, limit: Int? = nil, category: String? = nil) {
        self.query = query
        self.limit = limit
        self.category = category
    }

    public var resolvedLimit: Int { limit ?? Self.defaultLimit }

    enum CodingKeys: String, CodingKey {
        case query
        case limit
        case category
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        query = try container.decode(String.self, forKey: .query)
        limit = try container.decodeIntegerIfPresent(forKey: .limit)
        category = try container.decodeIfPresent(String.self, forKey: .category)
    }
}

extension MemorySearchRequest: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.length(query, "query", in: Self.queryLength)
        rules.range(limit, "limit", in: Self.limitRange)
        rules.pattern(category, "category", .category)
        return rules.errors
    }
}

/// `POST /api/v1/context`: what an agent sends to get everything relevant to a query in one
/// call (memories and document chunks, searched in parallel).
public struct ContextRequest: Sendable, Equatable, Codable {
    public static let defaultMemoryLimit = 5
    public static let defaultDocumentLimit = 5
    /// 0 turns a side off.
    public static let limitRange = 0...20
    /// The query is forwarded to both searches, so it obeys the stricter of their limits
    /// (document search: 1–2000 characters).
    public static let queryLength = 1...2000

    public var query: String
    public var memoryLimit: Int?
    public var documentLimit: Int?

    public init(query: String, memoryLimit: Int? = nil, documentLimit: Int? = nil) {
        self.query = query
        self.memoryLimit = memoryLimit
        self.documentLimit = documentLimit
    }

    /// `memory_limit` with its default applied.
    public var resolvedMemoryLimit: Int { memoryLimit ?? Self.defaultMemoryLimit }
    /// `document_limit` with its default applied.
    public var resolvedDocumentLimit: Int { documentLimit ?? Self.defaultDocumentLimit }

    enum CodingKeys: String, CodingKey {
        case query
        case memoryLimit = "memory_limit"
        case documentLimit = "document_limit"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        query = try container.decode(String.self, forKey: .query)
        memoryLimit = try container.decodeIntegerIfPresent(forKey: .memoryLimit)
        documentLimit = try container.decodeIntegerIfPresent(forKey: .documentLimit)
    }
}

extension ContextRequest: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.length(query, "query", in: Self.queryLength)
        rules.range(memoryLimit, "memory_limit", in: Self.limitRange)
        rules.range(documentLimit, "document_limit", in: Self.limitRange)
        return rules.errors
    }
}

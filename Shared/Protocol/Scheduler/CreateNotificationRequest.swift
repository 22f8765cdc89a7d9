/// `POST /api/v1/inbox`.
public struct CreateNotificationRequest: Sendable, Equatable, Codable {
    public static let priorityRange = 0...5
    public static let defaultPriority = 1
    public static let defaultSource = "api"

    public var title: String
    public var body: String
    public var source: String?
    public var priority: Int?

    public init(title: String, body: String, source: String? = nil, priority: Int? = nil) {
        self.title = title
        self.body = body
        self.source = source
        self.priority = priority
    }

    public var resolvedSource: String { source ?? Self.defaultSource }
    public var resolvedPriority: Int { priority ?? Self.defaultPriority }

    enum CodingKeys: String, CodingKey {
        case title
        case body
        case source
        case priority
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        body = try container.decode(String.self, forKey: .body)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        priority = try container.decodeIntegerIfPresent(forKey: .priority)
    }
}

extension CreateNotificationRequest: ContractValidatable {
    /// A notification needs a title to be shown in a list; the body may be empty.
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.notEmpty(title, "title")
        rules.range(priority, "priority", in: Self.priorityRange)
        return rules.errors
    }
}

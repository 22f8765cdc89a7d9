/// `POST /api/v1/chats`.
public struct CreateChatRequest: Sendable, Equatable, Codable {
    public static let defaultTitle = "New Chat"

    /// Client-chosen id (`TokenPattern.clientID`), unique per user; generated when absent.
    public var id: String?
    public var targetType: String
    public var targetID: String
    public var title: String?
    public var model: String?

    public init(id: String? = nil, targetType: String, targetID: String, title: String? = nil, model: String? = nil) {
        self.id = id
        self.targetType = targetType
        self.targetID = targetID
        self.title = title
        self.model = model
    }

    public var resolvedTitle: String { title ?? Self.defaultTitle }

    enum CodingKeys: String, CodingKey {
        case id
        case targetType = "target_type"
        case targetID = "target_id"
        case title
        case model
    }
}

extension CreateChatRequest: ContractValidatable {
    /// The target must be named: chats are listed by `target_type` and `target_id`.
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.pattern(id, "id", .clientID)
        rules.notEmpty(targetType, "target_type")
        rules.notEmpty(targetID, "target_id")
        return rules.errors
    }
}

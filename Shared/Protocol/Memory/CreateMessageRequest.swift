/// `POST /api/v1/chats/{id}/messages`. `content` may be empty (an assistant turn that only
/// carried tool calls in its metadata).
public struct CreateMessageRequest: Sendable, Equatable, Codable {
    public var role: MessageRole
    public var content: String
    public var metadata: JSONObject?

    public init(role: MessageRole, content: String, metadata: JSONObject? = nil) {
        self.role = role
        self.content = content
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case role
        case content
        case metadata
    }
}

extension CreateMessageRequest: ContractValidatable {
    /// API.md sets no rule on these fields beyond their types, which decoding already checks.
    public func validate() -> [FieldError] {
        []
    }
}

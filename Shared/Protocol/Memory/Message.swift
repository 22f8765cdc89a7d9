public import Foundation

/// One message of a chat.
public struct Message: Sendable, Equatable, Codable {
    public var id: String
    public var chatID: String
    public var role: MessageRole
    public var content: String
    public var createdAt: Date
    public var metadata: JSONObject

    public init(id: String, chatID: String, role: MessageRole, content: String, createdAt: Date, metadata: JSONObject = [:]) {
        self.id = id
        self.chatID = chatID
        self.role = role
        self.content = content
        self.createdAt = createdAt
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case id
        case chatID = "chat_id"
        case role
        case content
        case createdAt = "created_at"
        case metadata
    }
}

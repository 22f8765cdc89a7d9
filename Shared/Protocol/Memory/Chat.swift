public import Foundation

/// A conversation attached to something (`target_type` + `target_id`: an agent, a document, a
/// project), holding messages.
public struct Chat: Sendable, Equatable, Codable {
    public var id: String
    public var targetType: String
    public var targetID: String
    public var title: String
    /// The model the chat talks to; `null` means the platform default.
    public var model: String?
    public var createdAt: Date
    /// Bumped by every new message: lists are ordered by it.
    public var updatedAt: Date

    public init(
        id: String,
        targetType: String,
        targetID: String,
        title: String = CreateChatRequest.defaultTitle,
        model: String? = nil,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.targetType = targetType
        self.targetID = targetID
        self.title = title
        self.model = model
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case targetType = "target_type"
        case targetID = "target_id"
        case title
        case model
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(targetType, forKey: .targetType)
        try container.encode(targetID, forKey: .targetID)
        try container.encode(title, forKey: .title)
        try container.encodeNullable(model, forKey: .model)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

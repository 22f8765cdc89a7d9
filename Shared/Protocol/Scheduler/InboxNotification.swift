public import Foundation

/// A message in the user's inbox (the API's "Notification"; named so it does not clash with
/// `Foundation.Notification`).
public struct InboxNotification: Sendable, Equatable, Codable {
    public var id: String
    /// Who put it there: `api` by default, or the job that notified.
    public var source: String
    public var title: String
    public var body: String
    /// 0 (lowest) to 5.
    public var priority: Int
    public var isRead: Bool
    public var createdAt: Date
    public var metadata: JSONObject

    public init(
        id: String,
        source: String = CreateNotificationRequest.defaultSource,
        title: String,
        body: String,
        priority: Int = CreateNotificationRequest.defaultPriority,
        isRead: Bool = false,
        createdAt: Date,
        metadata: JSONObject = [:]
    ) {
        self.id = id
        self.source = source
        self.title = title
        self.body = body
        self.priority = priority
        self.isRead = isRead
        self.createdAt = createdAt
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case id
        case source
        case title
        case body
        case priority
        case isRead = "is_read"
        case createdAt = "created_at"
        case metadata
    }
}

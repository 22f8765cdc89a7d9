/// `GET /api/v1/inbox/unread_count`: `{"unread": n}`, cheap enough to poll for a badge.
public struct UnreadCountResponse: Sendable, Equatable, Codable {
    public var unread: Int

    public init(unread: Int) {
        self.unread = unread
    }

    enum CodingKeys: String, CodingKey {
        case unread
    }
}

public import ApexProtocol
public import Foundation

/// The user's notification inbox.
public protocol InboxStore: Sendable {
    func list(for userID: String, unreadOnly: Bool, limit: Int, after cursor: ListPosition?) async throws -> Page<InboxNotification>
    func unreadCount(for userID: String) async throws -> Int
    func create(_ request: CreateNotificationRequest, for userID: String) async throws -> InboxNotification
    func markRead(_ id: UUID, for userID: String) async throws -> InboxNotification?
    func markAllRead(for userID: String) async throws -> Int
    func delete(_ id: UUID, for userID: String) async throws -> Bool
}

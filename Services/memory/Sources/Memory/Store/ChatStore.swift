import ApexProtocol
import Foundation

/// Chats and their messages, one user at a time; keyed by (user, id) like sessions.
protocol ChatStore: Sendable {
    /// `nil` when this user already has a chat with this id (409).
    func create(_ request: CreateChatRequest, id: String, userID: String) async throws -> Chat?
    /// Most recently updated first; `targetType` / `targetID` filter when given.
    func list(userID: String, targetType: String?, targetID: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<Chat>
    func get(id: String, userID: String) async throws -> Chat?
    func update(id: String, userID: String, changes: UpdateChatRequest) async throws -> Chat?
    /// Deletes the chat and, by cascade, its messages.
    func delete(id: String, userID: String) async throws -> Bool
    /// Appends a message and bumps the chat's `updated_at`; `nil` when the chat does not exist.
    func addMessage(_ request: CreateMessageRequest, chatID: String, userID: String) async throws -> Message?
    /// Oldest first; `nil` when the chat does not exist.
    func messages(chatID: String, userID: String, limit: Int, after cursor: PageCursor?) async throws -> Page<Message>?
}

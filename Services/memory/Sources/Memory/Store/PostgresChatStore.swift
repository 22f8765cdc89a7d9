import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Chats in `memory.chat_sessions`, messages in `memory.chat_messages` (deleted with their chat
/// by the foreign key's cascade).
struct PostgresChatStore: ChatStore {
    let database: Database
    let logger: Logger

    static let chatList = "chats"
    static let messageList = "messages"

    func create(_ request: CreateChatRequest, id: String, userID: String) async throws -> Chat? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            try await ChatRow.chats(
                try await connection.query(
                    """
                    INSERT INTO memory.chat_sessions (user_id, id, target_type, target_id, title, model)
                    VALUES (\(userID), \(id), \(request.targetType), \(request.targetID), \(request.resolvedTitle), \(request.model))
                    ON CONFLICT (user_id, id) DO NOTHING
                    RETURNING \(unescaped: ChatRow.chatColumns)
                    """, logger: logger)
            ).first?.chat
        }
    }

    func list(userID: String, targetType: String?, targetID: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<Chat> {
        let logger = self.logger
        let rows = try await database.withTransaction(.user(userID)) { connection in
            try await ChatRow.chats(
                try await connection.query(
                    """
                    SELECT \(unescaped: ChatRow.chatColumns) FROM memory.chat_sessions
                    WHERE user_id = \(userID)
                      AND (\(targetType)::text IS NULL OR target_type = \(targetType))
                      AND (\(targetID)::text IS NULL OR target_id = \(targetID))
                      AND (\(cursor?.microseconds)::int8 IS NULL
                           OR (updated_at, id) < ('epoch'::timestamptz + \(cursor?.microseconds) * interval '1 microsecond', \(cursor?.id)))
                    ORDER BY updated_at DESC, id DESC
                    LIMIT \(limit + 1)
                    """, logger: logger))
        }
        return Page(
            items: rows.prefix(limit).map(\.chat),
            nextCursor: PageCursor.next(after: rows, limit: limit, list: Self.chatList) { ($0.microseconds, $0.chat.id) })
    }

    func get(id: String, userID: String) async throws -> Chat? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            try await ChatRow.chats(
                try await connection.query(
                    "SELECT \(unescaped: ChatRow.chatColumns) FROM memory.chat_sessions WHERE user_id = \(userID) AND id = \(id)",
                    logger: logger)
            ).first?.chat
        }
    }

    func update(id: String, userID: String, changes: UpdateChatRequest) async throws -> Chat? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            try await ChatRow.chats(
                try await connection.query(
                    """
                    UPDATE memory.chat_sessions SET
                        title = coalesce(\(changes.title), title),
                        model = CASE WHEN \(changes.model.isPresent) THEN \(changes.model.value) ELSE model END,
                        updated_at = now()
                    WHERE user_id = \(userID) AND id = \(id)
                    RETURNING \(unescaped: ChatRow.chatColumns)
                    """, logger: logger)
            ).first?.chat
        }
    }

    func delete(id: String, userID: String) async throws -> Bool {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "DELETE FROM memory.chat_sessions WHERE user_id = \(userID) AND id = \(id) RETURNING id", logger: logger)
            var deleted = false
            for try await _ in rows { deleted = true }
            return deleted
        }
    }

    /// One statement: bumping the chat both proves it exists (and is this user's) and orders
    /// it first in the chat list; the message shares the bump's timestamp.
    func addMessage(_ request: CreateMessageRequest, chatID: String, userID: String) async throws -> Message? {
        let logger = self.logger
        let metadata = try JSONText.encode(request.metadata ?? [:])
        let id = UUIDv7.generate()
        return try await database.withTransaction(.user(userID)) { connection in
            try await ChatRow.messages(
                try await connection.query(
                    """
                    WITH chat AS (
                        UPDATE memory.chat_sessions SET updated_at = now()
                        WHERE user_id = \(userID) AND id = \(chatID)
                        RETURNING user_id, id
                    )
                    INSERT INTO memory.chat_messages (id, user_id, chat_id, role, content, metadata)
                    SELECT \(id), chat.user_id, chat.id, \(request.role.rawValue), \(request.content), \(metadata)::jsonb FROM chat
                    RETURNING \(unescaped: ChatRow.messageColumns)
                    """, logger: logger)
            ).first?.message
        }
    }

    func messages(chatID: String, userID: String, limit: Int, after cursor: PageCursor?) async throws -> Page<Message>? {
        let logger = self.logger
        let cursorID = try cursor.map { cursor throws(APIError) -> UUID in
            guard let id = UUID(uuidString: cursor.id) else { throw APIError.invalid("cursor", "is not a cursor this list issued") }
            return id
        }
        let rows = try await database.withTransaction(.user(userID)) { connection -> [(message: Message, microseconds: Int64)]? in
            let chat = try await connection.query(
                "SELECT 1 FROM memory.chat_sessions WHERE user_id = \(userID) AND id = \(chatID)", logger: logger)
            var exists = false
            for try await _ in chat { exists = true }
            guard exists else { return nil }
            return try await ChatRow.messages(
                try await connection.query(
                    """
                    SELECT \(unescaped: ChatRow.messageColumns) FROM memory.chat_messages
                    WHERE user_id = \(userID) AND chat_id = \(chatID)
                      AND (\(cursor?.microseconds)::int8 IS NULL
                           OR (created_at, id) > ('epoch'::timestamptz + \(cursor?.microseconds) * interval '1 microsecond', \(cursorID)::uuid))
                    ORDER BY created_at, id
                    LIMIT \(limit + 1)
                    """, logger: logger))
        }
        guard let rows else { return nil }
        return Page(
            items: rows.prefix(limit).map(\.message),
            nextCursor: PageCursor.next(after: rows, limit: limit, list: Self.messageList) { ($0.microseconds, $0.message.id) })
    }
}

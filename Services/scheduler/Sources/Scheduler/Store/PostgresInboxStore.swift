public import ApexProtocol
public import Foundation
public import Logging
import PostgresNIO
public import ServiceKit

/// `InboxStore` on PostgreSQL, in the user's row-level-security scope.
public struct PostgresInboxStore: InboxStore {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func list(for userID: String, unreadOnly: Bool, limit: Int, after cursor: ListPosition?) async throws -> Page<InboxNotification>
    {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: StoredRows.notificationColumns) FROM scheduler.notifications
                WHERE user_id = \(userID)
                  AND (NOT \(unreadOnly) OR NOT is_read)
                  AND (\(cursor?.microseconds)::int8 IS NULL
                       OR (created_at, id) < ('epoch'::timestamptz + \(cursor?.microseconds)::float8 * interval '1 microsecond', \(cursor?.id)::uuid))
                ORDER BY created_at DESC, id DESC
                LIMIT \(limit + 1)
                """, logger: logger)
            return try await StoredRows.page(rows, limit: limit, id: \.id, decode: StoredRows.notification)
        }
    }

    public func unreadCount(for userID: String) async throws -> Int {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "SELECT count(*) FROM scheduler.notifications WHERE user_id = \(userID) AND NOT is_read", logger: logger)
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }

    public func create(_ request: CreateNotificationRequest, for userID: String) async throws -> InboxNotification {
        let id = UUIDv7.generate()
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO scheduler.notifications (id, user_id, source, title, body, priority)
                VALUES (\(id), \(userID), \(request.resolvedSource), \(request.title), \(request.body), \(request.resolvedPriority))
                RETURNING \(unescaped: StoredRows.notificationColumns)
                """, logger: logger)
            for try await row in rows { return try StoredRows.notification(row).0 }
            throw StoreInvariantBroken("INSERT … RETURNING gave no row")
        }
    }

    public func markRead(_ id: UUID, for userID: String) async throws -> InboxNotification? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                UPDATE scheduler.notifications SET is_read = true
                WHERE id = \(id) AND user_id = \(userID)
                RETURNING \(unescaped: StoredRows.notificationColumns)
                """, logger: logger)
            for try await row in rows { return try StoredRows.notification(row).0 }
            return nil
        }
    }

    public func markAllRead(for userID: String) async throws -> Int {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                WITH changed AS (
                    UPDATE scheduler.notifications SET is_read = true WHERE user_id = \(userID) AND NOT is_read RETURNING 1
                )
                SELECT count(*) FROM changed
                """, logger: logger)
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }

    public func delete(_ id: UUID, for userID: String) async throws -> Bool {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "DELETE FROM scheduler.notifications WHERE id = \(id) AND user_id = \(userID) RETURNING id", logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }
}

public import ApexProtocol
public import Foundation
public import Logging
import PostgresNIO
public import ServiceKit

/// `TaskStore` on PostgreSQL, in the user's row-level-security scope.
public struct PostgresTaskStore: TaskStore {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// `INSERT … ON CONFLICT (user_id, idempotency_key) DO NOTHING`, then read the winner: a
    /// concurrent insert of the same key waits on the unique index until the first commits, so
    /// exactly one request creates the task and every other one reads it.
    public func enqueue(
        _ action: JobAction, idempotencyKey: String?, maxAttempts: Int, for userID: String
    ) async throws -> (BackgroundTask, created: Bool) {
        let id = UUIDv7.generate()
        let actionText = try StoredJSON.text(action)
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let inserted = try await connection.query(
                """
                INSERT INTO scheduler.tasks (id, user_id, action, max_attempts, idempotency_key)
                VALUES (\(id), \(userID), \(actionText)::jsonb, \(maxAttempts), \(idempotencyKey))
                ON CONFLICT (user_id, idempotency_key) DO NOTHING
                RETURNING \(unescaped: StoredRows.taskColumns)
                """, logger: logger)
            for try await row in inserted { return (try StoredRows.task(row).0, true) }
            let existing = try await connection.query(
                """
                SELECT \(unescaped: StoredRows.taskColumns) FROM scheduler.tasks
                WHERE user_id = \(userID) AND idempotency_key = \(idempotencyKey)
                """, logger: logger)
            for try await row in existing { return (try StoredRows.task(row).0, false) }
            throw StoreInvariantBroken("an idempotency key conflicted but its task is gone")
        }
    }

    public func list(for userID: String, status: TaskStatus?, limit: Int, after cursor: ListPosition?) async throws -> Page<BackgroundTask>
    {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: StoredRows.taskColumns) FROM scheduler.tasks
                WHERE user_id = \(userID)
                  AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)::text)
                  AND (\(cursor?.microseconds)::int8 IS NULL
                       OR (created_at, id) < ('epoch'::timestamptz + \(cursor?.microseconds)::float8 * interval '1 microsecond', \(cursor?.id)::uuid))
                ORDER BY created_at DESC, id DESC
                LIMIT \(limit + 1)
                """, logger: logger)
            return try await StoredRows.page(rows, limit: limit, id: \.id, decode: StoredRows.task)
        }
    }

    public func task(_ id: UUID, for userID: String) async throws -> BackgroundTask? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: StoredRows.taskColumns) FROM scheduler.tasks WHERE id = \(id) AND user_id = \(userID)",
                logger: logger)
            for try await row in rows { return try StoredRows.task(row).0 }
            return nil
        }
    }
}

import Logging
import PostgresNIO
import ServiceKit

/// Retention sweeps over `memory.chat_messages` (by `created_at`) and finished
/// `memory.sessions` (by `completed_at`; their `scanned_runs` and `scan_failures` go with them
/// by cascade). Each batch is its own short system-scope transaction of at most
/// `batchSize` rows; the sweep goes on until a batch comes back short.
struct PostgresRetentionStore: RetentionStore {
    let database: Database
    let logger: Logger

    func sweep(_ policy: RetentionPolicy) async throws -> [String: Int] {
        let messages = try await deleteInBatches(batchSize: policy.batchSize) { batch in
            """
            WITH doomed AS (
                SELECT id FROM memory.chat_messages
                WHERE created_at < now() - make_interval(days => \(policy.chatMessagesDays)::int)
                LIMIT \(batch)
            ), deleted AS (
                DELETE FROM memory.chat_messages WHERE id IN (SELECT id FROM doomed) RETURNING 1
            )
            SELECT count(*)::int8 FROM deleted
            """
        }
        let sessions = try await deleteInBatches(batchSize: policy.batchSize) { batch in
            """
            WITH doomed AS (
                SELECT user_id, id FROM memory.sessions
                WHERE completed_at < now() - make_interval(days => \(policy.sessionsDays)::int)
                LIMIT \(batch)
            ), deleted AS (
                DELETE FROM memory.sessions WHERE (user_id, id) IN (SELECT user_id, id FROM doomed) RETURNING 1
            )
            SELECT count(*)::int8 FROM deleted
            """
        }
        return ["chat_messages": messages, "sessions": sessions]
    }

    private func deleteInBatches(batchSize: Int, _ statement: @escaping @Sendable (Int) -> PostgresQuery) async throws -> Int {
        let logger = self.logger
        var total = 0
        while true {
            let deleted = try await database.withTransaction(.system) { connection in
                var count = 0
                for try await value in try await connection.query(statement(batchSize), logger: logger).decode(Int.self) {
                    count = value
                }
                return count
            }
            total += deleted
            if deleted < batchSize { return total }
        }
    }
}

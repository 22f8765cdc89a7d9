import Foundation
public import Logging
import PostgresNIO
public import ServiceKit

/// `RetentionStore` on PostgreSQL (system scope: retention is everyone's).
public struct PostgresRetentionStore: RetentionStore {
    let database: Database
    let logger: Logger
    /// Rows deleted per transaction, so a first sweep over a large backlog never holds one huge
    /// transaction.
    let batchSize: Int

    public init(database: Database, logger: Logger, batchSize: Int = 5_000) {
        self.database = database
        self.logger = logger
        self.batchSize = batchSize
    }

    public func sweep(jobRunDays: Int, taskDays: Int) async throws -> [String: Int] {
        var runs = 0
        var tasks = 0
        while true {
            let deleted = try await deleteBatch(
                """
                DELETE FROM scheduler.job_runs WHERE id IN (
                    SELECT id FROM scheduler.job_runs
                    WHERE scheduled_for < now() - make_interval(days => $1) AND status <> 'running'
                    LIMIT $2)
                """, days: jobRunDays)
            runs += deleted
            if deleted < batchSize { break }
        }
        while true {
            let deleted = try await deleteBatch(
                """
                DELETE FROM scheduler.tasks WHERE id IN (
                    SELECT id FROM scheduler.tasks
                    WHERE status IN ('succeeded', 'dead') AND updated_at < now() - make_interval(days => $1)
                    LIMIT $2)
                """, days: taskDays)
            tasks += deleted
            if deleted < batchSize { break }
        }
        return ["job_runs": runs, "tasks": tasks]
    }

    private func deleteBatch(_ statement: String, days: Int) async throws -> Int {
        let logger = self.logger
        let limit = batchSize
        return try await database.withTransaction(.system) { connection in
            var binds = PostgresBindings()
            binds.append(Int32(clamping: days))
            binds.append(limit)
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "WITH gone AS (\(statement) RETURNING 1) SELECT count(*) FROM gone", binds: binds),
                logger: logger)
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }

    public func claimRound(_ name: String, every interval: Duration) async throws -> Bool {
        let seconds = Double(interval.components.seconds)
        let logger = self.logger
        return try await database.withTransaction(.system) { connection in
            let rows = try await connection.query(
                """
                WITH claimed AS (
                    UPDATE scheduler.maintenance_runs SET last_started_at = now()
                    WHERE name = \(name) AND last_started_at <= now() - \(seconds) * interval '1 second'
                    RETURNING 1
                )
                SELECT count(*) FROM claimed
                """, logger: logger)
            for try await count in rows.decode(Int64.self) { return count > 0 }
            return false
        }
    }
}

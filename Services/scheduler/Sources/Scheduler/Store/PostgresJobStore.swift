public import ApexProtocol
public import Foundation
public import Logging
import PostgresNIO
public import ServiceKit

/// `JobStore` on PostgreSQL: every statement runs in the user's row-level-security scope and
/// filters on `user_id` as well.
public struct PostgresJobStore: JobStore {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func create(_ draft: JobDraft, for userID: String) async throws -> Job {
        let id = UUIDv7.generate()
        let action = try StoredJSON.text(draft.action)
        let metadata = try StoredJSON.text(draft.metadata)
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO scheduler.jobs (id, user_id, name, cron_expression, timezone, action, enabled, next_run, metadata)
                VALUES (\(id), \(userID), \(draft.name), \(draft.cronExpression), \(draft.timezone), \(action)::jsonb,
                        \(draft.enabled), \(draft.nextRun), \(metadata)::jsonb)
                RETURNING \(unescaped: StoredRows.jobColumns)
                """, logger: logger)
            for try await row in rows { return try StoredRows.job(row).0 }
            throw StoreInvariantBroken("INSERT … RETURNING gave no row")
        }
    }

    public func list(for userID: String, limit: Int, after cursor: ListPosition?) async throws -> Page<Job> {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: StoredRows.jobColumns) FROM scheduler.jobs
                WHERE user_id = \(userID)
                  AND (\(cursor?.microseconds)::int8 IS NULL
                       OR (created_at, id) < ('epoch'::timestamptz + \(cursor?.microseconds)::float8 * interval '1 microsecond', \(cursor?.id)::uuid))
                ORDER BY created_at DESC, id DESC
                LIMIT \(limit + 1)
                """, logger: logger)
            return try await StoredRows.page(rows, limit: limit, id: \.id, decode: StoredRows.job)
        }
    }

    public func job(_ id: UUID, for userID: String) async throws -> Job? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: StoredRows.jobColumns) FROM scheduler.jobs WHERE id = \(id) AND user_id = \(userID)",
                logger: logger)
            for try await row in rows { return try StoredRows.job(row).0 }
            return nil
        }
    }

    public func update(_ id: UUID, for userID: String, _ change: @escaping @Sendable (Job) throws -> JobDraft) async throws -> Job? {
        let logger = self.logger
        let outcome = try await database.withTransaction(.user(userID)) { connection -> UpdateOutcome in
            let current = try await connection.query(
                "SELECT \(unescaped: StoredRows.jobColumns) FROM scheduler.jobs WHERE id = \(id) AND user_id = \(userID) FOR UPDATE",
                logger: logger)
            var job: Job?
            for try await row in current { job = try StoredRows.job(row).0 }
            guard let job else { return .missing }
            let draft: JobDraft
            do {
                draft = try change(job)
            } catch {
                return .refused(error)  // thrown outside, so the caller sees it and not a transaction error
            }
            let action = try StoredJSON.text(draft.action)
            let metadata = try StoredJSON.text(draft.metadata)
            let rows = try await connection.query(
                """
                UPDATE scheduler.jobs
                SET name = \(draft.name), cron_expression = \(draft.cronExpression), timezone = \(draft.timezone),
                    action = \(action)::jsonb, enabled = \(draft.enabled), next_run = \(draft.nextRun),
                    metadata = \(metadata)::jsonb, updated_at = now()
                WHERE id = \(id) AND user_id = \(userID)
                RETURNING \(unescaped: StoredRows.jobColumns)
                """, logger: logger)
            for try await row in rows { return .updated(try StoredRows.job(row).0) }
            return .missing
        }
        switch outcome {
        case .updated(let job): return job
        case .missing: return nil
        case .refused(let error): throw error
        }
    }

    private enum UpdateOutcome: Sendable {
        case updated(Job)
        case missing
        case refused(any Error)
    }

    /// Deletes the job with its runs (cascade) and the tasks of its runs that have not started;
    /// an attempt already running finishes, and its outcome then has no run to update.
    public func delete(_ id: UUID, for userID: String) async throws -> Bool {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                WITH job AS (
                    DELETE FROM scheduler.jobs WHERE id = \(id) AND user_id = \(userID) RETURNING id
                ), pending AS (
                    DELETE FROM scheduler.tasks t
                    USING scheduler.job_runs r
                    WHERE r.job_id = \(id) AND r.user_id = \(userID) AND t.id = r.task_id
                      AND t.user_id = \(userID) AND t.status IN ('queued', 'failed')
                    RETURNING t.id
                )
                SELECT (SELECT count(*) FROM job), (SELECT count(*) FROM pending)
                """, logger: logger)
            for try await (deleted, _) in rows.decode((Int64, Int64).self) { return deleted > 0 }
            return false
        }
    }

    public func runNow(_ id: UUID, for userID: String, slot: Date, maxAttempts: Int) async throws -> JobRun? {
        let runID = UUIDv7.generate()
        let taskID = UUIDv7.generate()
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let claimed = try await connection.query(
                """
                WITH job AS (
                    SELECT id, user_id, action FROM scheduler.jobs WHERE id = \(id) AND user_id = \(userID)
                ), run AS (
                    INSERT INTO scheduler.job_runs (id, job_id, user_id, scheduled_for, started_at, status, task_id)
                    SELECT \(runID), job.id, job.user_id, \(slot), now(), 'running', \(taskID) FROM job
                    ON CONFLICT (job_id, scheduled_for) DO NOTHING
                    RETURNING id, job_id, user_id, task_id
                ), task AS (
                    INSERT INTO scheduler.tasks (id, user_id, action, max_attempts, job_run_id)
                    SELECT run.task_id, run.user_id, job.action, \(maxAttempts), run.id FROM run JOIN job ON job.id = run.job_id
                    RETURNING id
                ), touched AS (
                    UPDATE scheduler.jobs j SET last_run = GREATEST(j.last_run, \(slot)), updated_at = now()
                    FROM run WHERE j.id = run.job_id
                    RETURNING j.id
                )
                SELECT (SELECT count(*) FROM job), (SELECT count(*) FROM task), (SELECT count(*) FROM touched)
                """, logger: logger)
            var jobExists = false
            for try await (jobs, _, _) in claimed.decode((Int64, Int64, Int64).self) { jobExists = jobs > 0 }
            guard jobExists else { return nil }
            let rows = try await connection.query(
                """
                SELECT \(unescaped: StoredRows.runColumns) FROM scheduler.job_runs
                WHERE job_id = \(id) AND user_id = \(userID) AND scheduled_for = \(slot)
                """, logger: logger)
            for try await row in rows { return try StoredRows.run(row).0 }
            throw StoreInvariantBroken("the run of a claimed slot is missing")
        }
    }

    public func runs(of jobID: UUID, for userID: String, limit: Int, after cursor: ListPosition?) async throws -> Page<JobRun>? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let exists = try await connection.query(
                "SELECT count(*) FROM scheduler.jobs WHERE id = \(jobID) AND user_id = \(userID)", logger: logger)
            var found = false
            for try await count in exists.decode(Int64.self) { found = count > 0 }
            guard found else { return nil }
            let rows = try await connection.query(
                """
                SELECT \(unescaped: StoredRows.runColumns) FROM scheduler.job_runs
                WHERE job_id = \(jobID) AND user_id = \(userID)
                  AND (\(cursor?.microseconds)::int8 IS NULL
                       OR (scheduled_for, id) < ('epoch'::timestamptz + \(cursor?.microseconds)::float8 * interval '1 microsecond', \(cursor?.id)::uuid))
                ORDER BY scheduled_for DESC, id DESC
                LIMIT \(limit + 1)
                """, logger: logger)
            return try await StoredRows.page(rows, limit: limit, id: \.id, decode: StoredRows.run)
        }
    }
}

import ApexProtocol
import Foundation
public import Logging
import PostgresNIO
public import ServiceKit

/// `TaskQueue` on PostgreSQL, in row-level security's system scope (workers serve every user).
public struct PostgresTaskQueue: TaskQueue {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func lease(token: String, limit: Int, for lease: Duration, scope: WorkScope) async throws -> [LeasedTask] {
        let logger = self.logger
        return try await database.withTransaction(.system) { connection in
            try await Self.lease(token: token, limit: limit, for: lease, scope: scope, on: connection, logger: logger)
        }
    }

    public func finishAndLease(
        _ completions: [TaskCompletion], token: String, limit: Int, for lease: Duration, scope: WorkScope
    ) async throws -> (finished: [FinishedTask], leased: [LeasedTask]) {
        let logger = self.logger
        return try await database.withTransaction(.system) { connection in
            let finished = completions.isEmpty ? [] : try await Self.finish(completions, on: connection, logger: logger)
            let leased = try await Self.lease(token: token, limit: limit, for: lease, scope: scope, on: connection, logger: logger)
            return (finished, leased)
        }
    }

    static func lease(
        token: String, limit: Int, for lease: Duration, scope: WorkScope, on connection: PostgresConnection, logger: Logger
    ) async throws -> [LeasedTask] {
        let users = scope.userFilter
        let leaseMilliseconds = Int64(lease / .milliseconds(1))
        let rows = try await connection.query(
            """
            WITH candidates AS MATERIALIZED (
                SELECT id, action ->> 'type' AS kind, run_at FROM scheduler.tasks
                WHERE status IN ('queued', 'failed') AND run_at <= now()
                  AND (cardinality(\(users)::text[]) = 0 OR user_id = ANY(\(users)::text[]))
                ORDER BY run_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), picked AS (
                SELECT id FROM candidates WHERE kind = 'notify'
                UNION ALL
                (SELECT id FROM candidates WHERE kind <> 'notify' ORDER BY run_at LIMIT 1)
            )
            UPDATE scheduler.tasks t
            SET status = 'running', attempts = t.attempts + 1, lease_owner = \(token),
                lease_expires_at = now() + \(leaseMilliseconds)::float8 * interval '1 millisecond', updated_at = now()
            FROM picked WHERE t.id = picked.id
            RETURNING t.id, t.user_id, t.action::text, t.attempts, t.max_attempts, t.job_run_id,
                      (SELECT r.job_id FROM scheduler.job_runs r WHERE r.id = t.job_run_id)
            """, logger: logger)
        var leased: [LeasedTask] = []
        for try await (id, userID, action, attempts, maxAttempts, jobRunID, jobID) in rows.decode(
            (UUID, String, String, Int, Int, UUID?, UUID?).self)
        {
            leased.append(
                LeasedTask(
                    id: id, userID: userID, action: try StoredJSON.decode(JobAction.self, action, column: "tasks.action"),
                    attempt: attempts, maxAttempts: maxAttempts, jobRunID: jobRunID, jobID: jobID, token: token))
        }
        return leased
    }

    public func finish(_ completions: [TaskCompletion]) async throws -> [FinishedTask] {
        guard !completions.isEmpty else { return [] }
        let logger = self.logger
        return try await database.withTransaction(.system) { connection in
            try await Self.finish(completions, on: connection, logger: logger)
        }
    }

    /// One statement records every completion: the task's new state, the `notify` action's
    /// notification, the job run's outcome, the job's `last_output`, and the owner's notice of a
    /// failed run — all or nothing, and only where the lease is still held.
    static func finish(_ completions: [TaskCompletion], on connection: PostgresConnection, logger: Logger) async throws -> [FinishedTask] {
        var ids: [UUID] = []
        var tokens: [String] = []
        var outcomes: [String] = []
        var results: [String] = []
        var errors: [String] = []
        var retryMilliseconds: [Int64] = []
        var notes: [UUID] = []
        for completion in completions {
            ids.append(completion.lease.taskID)
            tokens.append(completion.lease.token)
            notes.append(completion.notificationID)
            retryMilliseconds.append(Int64(completion.retryDelay / .milliseconds(1)))
            switch completion.outcome {
            case .succeeded(let result):
                outcomes.append("succeeded")
                results.append(try StoredJSON.text(result))
                errors.append("")
            case .failed(let message, let retryable):
                outcomes.append(retryable ? "retry" : "dead")
                results.append("")
                errors.append(String(message.prefix(4000)))
            }
        }
        let rows = try await connection.query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(ids)::uuid[], \(tokens)::text[], \(outcomes)::text[], \(results)::text[],
                                     \(errors)::text[], \(retryMilliseconds)::int8[], \(notes)::uuid[])
                    AS i(id, token, outcome, result, error, retry_ms, note_id)
            ), done AS (
                UPDATE scheduler.tasks t SET
                    status = CASE WHEN i.outcome = 'succeeded' THEN 'succeeded'
                                  WHEN i.outcome = 'retry' AND t.attempts < t.max_attempts THEN 'failed'
                                  ELSE 'dead' END,
                    result = CASE WHEN i.outcome = 'succeeded' THEN NULLIF(i.result, '')::jsonb ELSE t.result END,
                    last_error = CASE WHEN i.outcome = 'succeeded' THEN t.last_error ELSE NULLIF(i.error, '') END,
                    run_at = CASE WHEN i.outcome = 'retry' AND t.attempts < t.max_attempts
                                  THEN now() + i.retry_ms::float8 * interval '1 millisecond' ELSE t.run_at END,
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                FROM input i
                WHERE t.id = i.id AND t.status = 'running' AND t.lease_owner = i.token
                RETURNING t.id, t.user_id, t.status, t.action, t.result, t.last_error, t.job_run_id, i.note_id
            ), notified AS (
                INSERT INTO scheduler.notifications (id, user_id, source, title, body, metadata)
                SELECT d.note_id, d.user_id,
                       CASE WHEN r.job_id IS NULL THEN 'task' ELSE 'job:' || r.job_id::text END,
                       d.action ->> 'title', COALESCE(d.action ->> 'body', ''),
                       jsonb_strip_nulls(jsonb_build_object('task_id', d.id, 'job_id', r.job_id, 'job_run_id', d.job_run_id))
                FROM done d LEFT JOIN scheduler.job_runs r ON r.id = d.job_run_id
                WHERE d.status = 'succeeded' AND d.action ->> 'type' = 'notify'
                RETURNING id
            ), finished_runs AS (
                UPDATE scheduler.job_runs r SET
                    status = CASE WHEN d.status = 'succeeded' THEN 'completed' ELSE 'failed' END,
                    completed_at = now(),
                    output = CASE WHEN d.status = 'succeeded'
                                  THEN COALESCE(r.output, '{}'::jsonb) || COALESCE(d.result, '{}'::jsonb)
                                  ELSE r.output END,
                    error = CASE WHEN d.status = 'dead' THEN d.last_error END
                FROM done d
                WHERE r.id = d.job_run_id AND d.status IN ('succeeded', 'dead') AND r.status = 'running'
                RETURNING r.id, r.job_id, r.user_id, r.status, r.output, r.error, d.note_id
            ), outputs AS (
                UPDATE scheduler.jobs j SET
                    last_output = CASE WHEN f.status = 'completed' THEN f.output ELSE jsonb_build_object('error', f.error) END,
                    updated_at = now()
                FROM finished_runs f WHERE j.id = f.job_id
                RETURNING j.id
            ), failure_notes AS (
                INSERT INTO scheduler.notifications (id, user_id, source, title, body, priority, metadata)
                SELECT f.note_id, f.user_id, 'scheduler', 'Job "' || j.name || '" failed', COALESCE(f.error, 'the run failed'), 3,
                       jsonb_build_object('job_id', f.job_id, 'job_run_id', f.id)
                FROM finished_runs f JOIN scheduler.jobs j ON j.id = f.job_id
                WHERE f.status = 'failed'
                RETURNING id
            )
            SELECT d.id, d.status, (SELECT count(*) FROM notified), (SELECT count(*) FROM outputs), (SELECT count(*) FROM failure_notes)
            FROM done d
            """, logger: logger)
        var finished: [FinishedTask] = []
        for try await (id, status, _, _, _) in rows.decode((UUID, String, Int64, Int64, Int64).self) {
            finished.append(FinishedTask(id: id, status: TaskStatus(rawValue: status) ?? .dead))
        }
        return finished
    }

    public func extend(_ leases: [HeldLease], for lease: Duration) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        let ids = leases.map(\.taskID)
        let tokens = leases.map(\.token)
        let leaseMilliseconds = Int64(lease / .milliseconds(1))
        let logger = self.logger
        return try await database.withTransaction(.system) { connection in
            let rows = try await connection.query(
                """
                WITH held AS (
                    -- SKIP LOCKED: a row locked right now is being finished (or looked at by a
                    -- lease scan); waiting for it could deadlock with that worker's statement,
                    -- and the next heartbeat extends it anyway.
                    SELECT t.id FROM scheduler.tasks t
                    JOIN unnest(\(ids)::uuid[], \(tokens)::text[]) AS l(id, token) ON t.id = l.id AND t.lease_owner = l.token
                    WHERE t.status = 'running'
                    FOR UPDATE OF t SKIP LOCKED
                ), extended AS (
                    UPDATE scheduler.tasks t
                    SET lease_expires_at = now() + \(leaseMilliseconds)::float8 * interval '1 millisecond'
                    FROM held WHERE t.id = held.id
                    RETURNING 1
                )
                SELECT count(*) FROM extended
                """, logger: logger)
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }

    public func reclaimExpired(scope: WorkScope, limit: Int) async throws -> Int {
        let users = scope.userFilter
        let logger = self.logger
        return try await database.withTransaction(.system) { connection in
            let rows = try await connection.query(
                """
                SELECT id, lease_owner, attempts FROM scheduler.tasks
                WHERE status = 'running' AND lease_expires_at < now()
                  AND (cardinality(\(users)::text[]) = 0 OR user_id = ANY(\(users)::text[]))
                ORDER BY lease_expires_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
                """, logger: logger)
            var completions: [TaskCompletion] = []
            for try await (id, token, attempt) in rows.decode((UUID, String?, Int).self) {
                completions.append(
                    TaskCompletion(
                        lease: HeldLease(taskID: id, token: token ?? ""),
                        outcome: .retryable("attempt \(attempt) did not finish within its lease: the worker stopped or crashed")))
            }
            guard !completions.isEmpty else { return 0 }
            return try await Self.finish(completions, on: connection, logger: logger).count
        }
    }

    public func release(_ leases: [HeldLease]) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        let ids = leases.map(\.taskID)
        let tokens = leases.map(\.token)
        let logger = self.logger
        return try await database.withTransaction(.system) { connection in
            let rows = try await connection.query(
                """
                WITH released AS (
                    UPDATE scheduler.tasks t
                    SET status = CASE WHEN t.attempts > 1 THEN 'failed' ELSE 'queued' END,
                        attempts = t.attempts - 1, run_at = now(),
                        lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                    FROM unnest(\(ids)::uuid[], \(tokens)::text[]) AS l(id, token)
                    WHERE t.id = l.id AND t.lease_owner = l.token AND t.status = 'running'
                    RETURNING 1
                )
                SELECT count(*) FROM released
                """, logger: logger)
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }
}

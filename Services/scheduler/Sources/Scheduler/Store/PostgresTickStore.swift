import ApexProtocol
public import Foundation
public import Logging
import PostgresNIO
public import ServiceKit

/// `TickStore` on PostgreSQL.
///
/// Exactly one run per slot holds on two independent grounds: a job row is locked by one tick at
/// a time (`FOR UPDATE SKIP LOCKED`, and the lock re-checks `next_run <= now` against the latest
/// committed row), and `job_runs` is `UNIQUE (job_id, scheduled_for)` with `ON CONFLICT DO
/// NOTHING` — so even a tick working from stale data cannot claim a slot twice.
public struct PostgresTickStore: TickStore {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func claimDueSlots(
        now: Date, limit: Int, maxAttempts: Int, scope: WorkScope,
        plan: @escaping @Sendable (DueJob) -> DueJobDecision
    ) async throws -> TickBatch {
        let users = scope.userFilter
        let logger = self.logger
        return try await database.withTransaction(.system) { connection in
            let due = try await connection.query(
                """
                SELECT id, cron_expression, timezone, next_run FROM scheduler.jobs
                WHERE enabled AND next_run <= \(now)
                  AND (cardinality(\(users)::text[]) = 0 OR user_id = ANY(\(users)::text[]))
                ORDER BY next_run
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
                """, logger: logger)
            var jobIDs: [UUID] = []
            var slots: [Date] = []
            var hasSlot: [Bool] = []
            var missedOutputs: [String] = []
            var nextRuns: [Date] = []
            var hasNext: [Bool] = []
            var runIDs: [UUID] = []
            var taskIDs: [UUID] = []
            for try await (id, cron, timezone, nextRun) in due.decode((UUID, String, String, Date).self) {
                let decision = plan(DueJob(id: id, cronExpression: cron, timezone: timezone, nextRun: nextRun))
                jobIDs.append(id)
                runIDs.append(UUIDv7.generate(now: now))
                taskIDs.append(UUIDv7.generate(now: now))
                switch decision {
                case .claim(let plan):
                    slots.append(plan.slot)
                    hasSlot.append(true)
                    missedOutputs.append(try plan.missedSlotsOutput.map { try StoredJSON.text($0) } ?? "")
                    nextRuns.append(plan.nextRun ?? now)
                    hasNext.append(plan.nextRun != nil)
                case .reschedule(let next):
                    slots.append(now)
                    hasSlot.append(false)
                    missedOutputs.append("")
                    nextRuns.append(next ?? now)
                    hasNext.append(next != nil)
                }
            }
            guard !jobIDs.isEmpty else { return TickBatch(examined: 0, claimed: 0, skipped: 0) }
            let rows = try await connection.query(
                """
                WITH plan AS (
                    SELECT * FROM unnest(\(jobIDs)::uuid[], \(slots)::timestamptz[], \(hasSlot)::bool[], \(missedOutputs)::text[],
                                         \(nextRuns)::timestamptz[], \(hasNext)::bool[], \(runIDs)::uuid[], \(taskIDs)::uuid[])
                        AS p(job_id, slot, has_slot, missed, next_run, has_next, run_id, task_id)
                ), runs AS (
                    INSERT INTO scheduler.job_runs (id, job_id, user_id, scheduled_for, started_at, completed_at, status, output, task_id)
                    SELECT p.run_id, j.id, j.user_id, p.slot,
                           CASE WHEN busy.id IS NULL THEN \(now)::timestamptz END,
                           CASE WHEN busy.id IS NOT NULL THEN \(now)::timestamptz END,
                           CASE WHEN busy.id IS NULL THEN 'running' ELSE 'skipped' END,
                           CASE WHEN busy.id IS NULL THEN NULLIF(p.missed, '')::jsonb
                                ELSE jsonb_build_object('reason', 'the previous run was still running', 'previous_run_id', busy.id)
                                     || COALESCE(NULLIF(p.missed, '')::jsonb, '{}'::jsonb) END,
                           CASE WHEN busy.id IS NULL THEN p.task_id END
                    FROM plan p
                    JOIN scheduler.jobs j ON j.id = p.job_id
                    LEFT JOIN LATERAL (
                        SELECT r.id FROM scheduler.job_runs r WHERE r.job_id = p.job_id AND r.status = 'running' LIMIT 1
                    ) busy ON true
                    WHERE p.has_slot
                    ON CONFLICT (job_id, scheduled_for) DO NOTHING
                    RETURNING id, job_id, user_id, status, task_id
                ), tasks AS (
                    INSERT INTO scheduler.tasks (id, user_id, action, max_attempts, job_run_id)
                    SELECT r.task_id, r.user_id, j.action, \(maxAttempts), r.id
                    FROM runs r JOIN scheduler.jobs j ON j.id = r.job_id
                    WHERE r.status = 'running'
                    RETURNING id
                ), advanced AS (
                    UPDATE scheduler.jobs j
                    SET next_run = CASE WHEN p.has_next THEN p.next_run END,
                        last_run = CASE WHEN p.has_slot THEN GREATEST(j.last_run, p.slot) ELSE j.last_run END,
                        updated_at = now()
                    FROM plan p WHERE j.id = p.job_id
                    RETURNING j.id
                )
                SELECT (SELECT count(*) FROM runs WHERE status = 'running'),
                       (SELECT count(*) FROM runs WHERE status = 'skipped'),
                       (SELECT count(*) FROM tasks),
                       (SELECT count(*) FROM advanced)
                """, logger: logger)
            for try await (claimed, skipped, _, _) in rows.decode((Int64, Int64, Int64, Int64).self) {
                return TickBatch(examined: jobIDs.count, claimed: Int(claimed), skipped: Int(skipped))
            }
            return TickBatch(examined: jobIDs.count, claimed: 0, skipped: 0)
        }
    }
}

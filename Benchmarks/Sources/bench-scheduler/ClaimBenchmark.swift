import ApexProtocol
import Foundation
import PostgresNIO
import Scheduler
import ServiceKit
import Synchronization

/// 10,000 jobs due at the same instant, claimed by N scheduler instances ticking at once (each
/// its own connection pool and tick loop, as replicas would be). Reports slots claimed per
/// second and checks the result: one run and one task per job, no duplicate slot, every job
/// advanced. The database floor is the same work done by one hand-written SQL statement.
enum ClaimBenchmark {
    struct Result {
        var instances: Int
        var seconds: Double
        var claimed: Int
        var runs: Int
        var duplicates: Int
        var tasks: Int
        var stillDue: Int
        var slotsPerSecond: Double { Double(claimed) / seconds }
    }

    static func seed(_ jobs: Int, on database: Database) async throws {
        try await BenchDatabase.reset(database)
        try await BenchDatabase.run(
            """
            INSERT INTO scheduler.jobs (id, user_id, name, cron_expression, timezone, action, next_run)
            SELECT gen_random_uuid(), 'bench-user-' || (g % 100), 'job ' || g, '* * * * *', 'UTC',
                   '{"type": "notify", "title": "t", "body": "b"}'::jsonb, date_trunc('minute', now())
            FROM generate_series(1, \(jobs)) AS g
            """, on: database)
        try await BenchDatabase.analyze(database)
    }

    static func run(jobs: Int, instances: Int, url: String) async throws -> Result {
        try await BenchDatabase.with(url) { database in
            try await seed(jobs, on: database)
            let claimed = SharedCounter()
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<instances {
                    group.addTask {
                        try await BenchDatabase.with(url) { replica in
                            let engine = TickEngine(
                                store: PostgresTickStore(database: replica, logger: BenchDatabase.logger), batchSize: 500,
                                maxAttempts: 3, scope: .allUsers, logger: BenchDatabase.logger)
                            while true {
                                let result = try await engine.tick(now: Date())
                                claimed.add(result.claimed)
                                if result.claimed + result.skipped == 0 { break }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = seconds(ContinuousClock.now - start)
            return Result(
                instances: instances, seconds: elapsed, claimed: claimed.current,
                runs: try await BenchDatabase.count("SELECT count(*) FROM scheduler.job_runs", on: database),
                duplicates: try await BenchDatabase.count(
                    "SELECT count(*) FROM (SELECT 1 FROM scheduler.job_runs GROUP BY job_id, scheduled_for HAVING count(*) > 1) d",
                    on: database),
                tasks: try await BenchDatabase.count("SELECT count(*) FROM scheduler.tasks", on: database),
                stillDue: try await BenchDatabase.count("SELECT count(*) FROM scheduler.jobs WHERE next_run <= now()", on: database))
        }
    }

    /// The same claim as one SQL statement without any Swift in the loop: runs, tasks, next_run.
    static func databaseFloor(jobs: Int, url: String) async throws -> Double {
        try await BenchDatabase.with(url) { database in
            try await seed(jobs, on: database)
            let start = ContinuousClock.now
            try await BenchDatabase.run(
                """
                WITH due AS (
                    SELECT id, user_id, next_run FROM scheduler.jobs WHERE enabled AND next_run <= now() FOR UPDATE SKIP LOCKED
                ), runs AS (
                    INSERT INTO scheduler.job_runs (id, job_id, user_id, scheduled_for, started_at, status, task_id)
                    SELECT gen_random_uuid(), id, user_id, next_run, now(), 'running', gen_random_uuid() FROM due
                    ON CONFLICT (job_id, scheduled_for) DO NOTHING
                    RETURNING id, job_id, user_id, task_id
                ), tasks AS (
                    INSERT INTO scheduler.tasks (id, user_id, action, max_attempts, job_run_id)
                    SELECT r.task_id, r.user_id, j.action, 3, r.id FROM runs r JOIN scheduler.jobs j ON j.id = r.job_id
                    RETURNING 1
                )
                UPDATE scheduler.jobs j SET next_run = due.next_run + interval '1 minute', last_run = due.next_run
                FROM due WHERE j.id = due.id
                """, on: database)
            return seconds(ContinuousClock.now - start)
        }
    }
}

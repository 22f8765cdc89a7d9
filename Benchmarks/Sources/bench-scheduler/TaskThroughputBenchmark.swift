import ApexProtocol
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Scheduler
import ServiceKit
import ServiceLifecycle
import Synchronization

/// `notify` tasks through N complete scheduler instances (the application production runs, with
/// its worker pool; ticker and sweeper off), end to end: from the moment the tasks are enqueued
/// to the moment the last one has succeeded and its notification is in its owner's inbox.
///
/// - burst: N tasks enqueued by one statement, then drained;
/// - stream: the tasks enqueued one by one through the store (16 concurrent producers, one
///   transaction each, as `POST /api/v1/tasks` does) while the workers drain them.
enum TaskThroughputBenchmark {
    struct Result {
        var mode: String
        var instances: Int
        var tasks: Int
        var seconds: Double
        var notifications: Int
        var notSucceeded: Int
        var tasksPerSecond: Double { Double(tasks) / seconds }
    }

    static func run(
        mode: String, tasks: Int, instances: Int, workers: Int, batch: Int, pollMilliseconds: Int, url: String
    ) async throws -> Result {
        try await BenchDatabase.with(url) { database in
            try await BenchDatabase.reset(database)
            var logger = Logger(label: "bench.scheduler.app")
            logger.logLevel = .error
            var apps: [any Service] = []
            for _ in 0..<instances {
                let settings = try SchedulerSettings(
                    environment: EnvironmentReader([
                        "DATABASE_URL": url, "PORT": "0", "HOST": "127.0.0.1", "LOG_LEVEL": "error",
                        "INTERNAL_AUTH_SECRET": "bench-secret-0123456789abcdef0123456789",
                        "TICK_INTERVAL_SECONDS": "0", "RETENTION_INTERVAL_SECONDS": "0",
                        "TASK_WORKERS": String(workers), "TASK_BATCH_SIZE": String(batch),
                        "TASK_POLL_INTERVAL_MS": String(pollMilliseconds),
                        "DB_POOL_MAX": String(max(5, workers + 2)),
                    ]))
                apps.append(try await buildApplication(settings: settings, runtime: ServiceRuntime(logger: logger)))
            }
            let group = ServiceGroup(configuration: .init(services: apps, logger: logger))
            let running = Task { try await group.run() }
            defer { running.cancel() }
            try await Task.sleep(for: .milliseconds(500))  // the instances are up and polling

            let start = ContinuousClock.now
            switch mode {
            case "burst":
                try await BenchDatabase.run(
                    """
                    INSERT INTO scheduler.tasks (id, user_id, action)
                    SELECT gen_random_uuid(), 'bench-user-' || (g % 100), '{"type": "notify", "title": "n", "body": "b"}'::jsonb
                    FROM generate_series(1, \(tasks)) AS g
                    """, on: database)
            default:
                let store = PostgresTaskStore(database: database, logger: BenchDatabase.logger)
                let next = SharedCounter()
                try await withThrowingTaskGroup(of: Void.self) { producers in
                    for _ in 0..<16 {
                        producers.addTask {
                            while true {
                                let index = next.next()
                                if index >= tasks { return }
                                _ = try await store.enqueue(
                                    .notify(title: "n \(index)", body: "b"), idempotencyKey: "k\(index)", maxAttempts: 5,
                                    for: "bench-user-\(index % 100)")
                            }
                        }
                    }
                    try await producers.waitForAll()
                }
            }
            // Done when no task is queued, failed or running: answered from the partial indexes of
            // due and leased tasks, so watching costs the database next to nothing.
            while instances > 0,
                try await BenchDatabase.count(
                    """
                    SELECT (EXISTS (SELECT 1 FROM scheduler.tasks WHERE status IN ('queued', 'failed')))::int
                         + (EXISTS (SELECT 1 FROM scheduler.tasks WHERE status = 'running'))::int
                    """, on: database) > 0
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            let elapsed = seconds(ContinuousClock.now - start)
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            return Result(
                mode: mode, instances: instances, tasks: tasks, seconds: elapsed,
                notifications: try await BenchDatabase.count("SELECT count(*) FROM scheduler.notifications", on: database),
                notSucceeded: try await BenchDatabase.count(
                    "SELECT count(*) FROM scheduler.tasks WHERE status <> 'succeeded'", on: database))
        }
    }
}

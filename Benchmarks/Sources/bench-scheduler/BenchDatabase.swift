import Foundation
import Logging
import PostgresNIO
import Scheduler
import ServiceKit
import Synchronization

/// The scratch database: settings, a client that runs while a body runs, and the resets.
enum BenchDatabase {
    static let logger = Logger(label: "bench.scheduler")

    static func settings(_ url: String, poolMax: Int = 5) throws -> DatabaseSettings {
        try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url, "DB_POOL_MAX": String(poolMax)]))
    }

    static func with<T: Sendable>(
        _ url: String, poolMax: Int = 5, _ body: @escaping @Sendable (Database) async throws -> T
    ) async throws -> T {
        let database = Database(settings: try settings(url, poolMax: poolMax), logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await database.client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }

    /// Applies the scheduler's migrations and empties its tables.
    static func reset(_ database: Database) async throws {
        try await SchedulerSchema.migrations().run(on: database, logger: logger)
        _ = try await database.withTransaction(.system) { connection in
            try await connection.query(
                "TRUNCATE scheduler.job_runs, scheduler.tasks, scheduler.notifications, scheduler.jobs", logger: logger)
        }
    }

    static func run(_ query: PostgresQuery, on database: Database) async throws {
        _ = try await database.withTransaction(.system) { connection in
            try await connection.query(query, logger: logger)
        }
    }

    static func count(_ query: PostgresQuery, on database: Database) async throws -> Int {
        try await database.withTransaction(.system) { connection in
            for try await value in try await connection.query(query, logger: logger).decode(Int64.self) { return Int(value) }
            return 0
        }
    }

    static func analyze(_ database: Database) async throws {
        try await database.withConnection { connection in
            try await connection.query("ANALYZE scheduler.jobs", logger: logger)
            try await connection.query("ANALYZE scheduler.tasks", logger: logger)
            try await connection.query("ANALYZE scheduler.job_runs", logger: logger)
        }
    }
}

/// Seconds between two instants of the continuous clock.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double, _ digits: Int = 0) -> String {
    String(format: "%.\(digits)f", value)
}

/// A counter shared by concurrent loops (an `Atomic` cannot be captured by escaping closures).
final class SharedCounter: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ amount: Int) { value.add(amount, ordering: .relaxed) }
    /// Adds one and answers the value before.
    func next() -> Int { value.add(1, ordering: .relaxed).oldValue }
    var current: Int { value.load(ordering: .relaxed) }
}

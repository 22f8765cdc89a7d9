import Logging
import PostgresNIO
import ServiceKit

/// A ServiceKit `Database` (the service's own pool and tenant scoping) running for one step.
enum BenchDatabase {
    static func with<T: Sendable>(poolMax: Int = 4, _ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        let url = try BenchOptions.environmentValue("DATABASE_URL")
        let settings = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url, "DB_POOL_MAX": String(poolMax)]))
        var logger = Logger(label: "bench-rag")
        logger.logLevel = .warning
        let database = Database(settings: settings, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await database.client.run()
                return nil
            }
            defer { group.cancelAll() }
            let result = try await body(database)
            return result
        }!
    }

    /// Runs SQL text without parameters and returns the first column of each row as text.
    static func strings(_ sql: String, on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        var values: [String] = []
        for try await row in rows {
            values.append(try row.decode(String?.self, context: .default) ?? "")
        }
        return values
    }
}

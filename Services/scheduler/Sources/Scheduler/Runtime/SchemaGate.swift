import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Holds the background loops until this binary's migrations are applied.
///
/// The application runs migrations before its server binds, but its services (ticker, workers,
/// sweeper) start at the same moment; without this gate their first queries would race the
/// `CREATE TABLE`s. With `MIGRATE_ON_START=false` the pre-deploy job has applied them already
/// and the gate opens at once.
struct SchemaGate: Sendable {
    let database: Database
    let migrations: [String]
    let logger: Logger

    func wait() async throws {
        var pause = Duration.milliseconds(50)
        while true {
            if await isReady() { return }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(2))
        }
    }

    func isReady() async -> Bool {
        let names = migrations
        let logger = self.logger
        do {
            return try await database.withConnection { connection in
                let rows = try await connection.query(
                    """
                    SELECT count(*) FROM pg_catalog.pg_tables
                    WHERE schemaname = 'scheduler' AND tablename = 'schema_migrations'
                    """, logger: logger)
                var exists = false
                for try await count in rows.decode(Int64.self) { exists = count > 0 }
                guard exists else { return false }
                let applied = try await connection.query(
                    "SELECT count(*) FROM scheduler.schema_migrations WHERE name = ANY(\(names)::text[])", logger: logger)
                for try await count in applied.decode(Int64.self) { return count == names.count }
                return false
            }
        } catch {
            logger.debug("waiting for the scheduler schema", metadata: ["error": "\(error)"])
            return false
        }
    }
}

import Foundation
public import Logging
public import PostgresNIO

/// Applies a service's migrations to its own schema.
///
/// Forward-only and checksummed: applied files are recorded in `<schema>.schema_migrations`
/// with their sha-256, and an applied file whose content changed stops start-up. Each file runs
/// in its own transaction, and a session advisory lock keyed on the schema serialises concurrent
/// migrators (several replicas starting at once apply each file exactly once).
public struct MigrationRunner: Sendable {
    public let schema: String
    public let migrations: [Migration]

    public struct Report: Sendable, Equatable {
        public var applied: [String]
        public var alreadyApplied: [String]
    }

    public enum Failure: Error, CustomStringConvertible {
        case checksumMismatch(schema: String, migration: String)
        case invalidSchemaName(String)

        public var description: String {
            switch self {
            case .checksumMismatch(let schema, let migration):
                "migration \(schema)/\(migration) was changed after it was applied; migrations are forward-only: "
                    + "restore the original file and add a new migration instead"
            case .invalidSchemaName(let name):
                "invalid schema name \(name)"
            }
        }
    }

    public init(schema: String, migrations: [Migration]) throws {
        guard schema.range(of: #"^[a-z_][a-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
            throw Failure.invalidSchemaName(schema)
        }
        self.schema = schema
        self.migrations = migrations.sorted { $0.name < $1.name }
    }

    @discardableResult
    public func run(on database: Database, logger: Logger) async throws -> Report {
        let schema = self.schema
        let migrations = self.migrations
        // A long lock wait is normal while another replica migrates: allow minutes, not seconds.
        return try await database.withConnection(timeout: .seconds(60)) { connection in
            let lockKey = "apexflow.migrations.\(schema)"
            try await connection.query("SELECT pg_advisory_lock(hashtextextended(\(lockKey), 0))", logger: logger)
            do {
                let report = try await Self.apply(migrations, schema: schema, on: connection, logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(hashtextextended(\(lockKey), 0))", logger: logger)
                return report
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(hashtextextended(\(lockKey), 0))", logger: logger)
                throw error
            }
        }
    }

    private static func apply(
        _ migrations: [Migration], schema: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> Report {
        // The schema name is validated by init; identifiers cannot be bound as parameters.
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (
                        name TEXT PRIMARY KEY,
                        checksum TEXT NOT NULL,
                        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                    )
                    """
            ),
            logger: logger
        )
        var applied: [String: String] = [:]
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT name, checksum FROM \(schema).schema_migrations"), logger: logger)
        for try await (name, checksum) in rows.decode((String, String).self) { applied[name] = checksum }

        var report = Report(applied: [], alreadyApplied: [])
        for migration in migrations {
            if let checksum = applied[migration.name] {
                guard checksum == migration.checksum else {
                    throw Failure.checksumMismatch(schema: schema, migration: migration.name)
                }
                report.alreadyApplied.append(migration.name)
                continue
            }
            try await connection.withTransaction(logger: logger) { connection in
                for statement in SQLScript.statements(in: migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "INSERT INTO \(schema).schema_migrations (name, checksum) VALUES ($1, $2)",
                        binds: try Self.binds(migration.name, migration.checksum)
                    ),
                    logger: logger
                )
            }
            logger.info("applied migration", metadata: ["schema": "\(schema)", "migration": "\(migration.name)"])
            report.applied.append(migration.name)
        }
        let unknown = Set(applied.keys).subtracting(migrations.map(\.name))
        if !unknown.isEmpty {
            logger.warning(
                "database has migrations this binary does not know (a newer version ran); continuing",
                metadata: ["schema": "\(schema)", "migrations": "\(unknown.sorted())"])
        }
        return report
    }

    private static func binds(_ values: String...) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }
}

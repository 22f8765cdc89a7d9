public import PostgresNIO
public import ServiceKit

/// Probes row-level security directly, without the `user_id` filters the services write: what a
/// scope can count in a table, and what a statement fails with.
public struct RowLevelSecurityProbe: Sendable {
    /// `memory`, `scheduler`…: the schema whose tables are probed.
    public let schema: String
    public let logger: Logger

    public init(schema: String, logger: Logger) {
        self.schema = schema
        self.logger = logger
    }

    /// `SELECT count(*) FROM <schema>.<table>` with no WHERE clause, in `scope`.
    public func unfilteredCount(_ table: String, scope: TenantScope, on database: Database) async throws -> Int {
        try await database.withTransaction(scope) { connection in
            try await firstInt(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).\(table)"), on: connection)
        }
    }

    /// The first column of the first row, as an integer.
    public func firstInt(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
        var value = 0
        for try await count in try await connection.query(query, logger: logger).decode(Int64.self) { value = Int(count) }
        return value
    }

    /// The SQLSTATE `query` fails with in `scope` (in its own transaction, rolled back), or nil
    /// when it succeeds.
    public func failure(of query: PostgresQuery, scope: TenantScope, on database: Database) async throws -> String? {
        do {
            try await database.withTransaction(scope) { connection in
                _ = try await connection.query(query, logger: logger)
            }
            return nil
        } catch let error as PSQLError {
            return error.sqlState ?? "\(error)"
        }
    }
}

import Foundation
import Logging
import PostgresNIO
public import ServiceKit

/// The real PostgreSQL + pgvector the test command starts (`scripts/test`), as the app role.
///
/// Tests never mock the database. Without `APEX_TEST_DATABASE_URL` they fail with a message
/// that says how to run them, instead of silently passing.
public enum TestDatabase {
    public static var url: String {
        guard let url = ProcessInfo.processInfo.environment["APEX_TEST_DATABASE_URL"], !url.isEmpty else {
            fatalError("APEX_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts PostgreSQL")
        }
        return url
    }

    public static func settings() throws -> DatabaseSettings {
        try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url, "DB_ACQUIRE_TIMEOUT_MS": "3000"]))
    }

    /// A schema name no other test uses.
    public static func uniqueSchema(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Runs `body` with a `Database` whose client runs for the duration.
    public static func withDatabase<T: Sendable>(
        settings: DatabaseSettings? = nil, _ body: @escaping @Sendable (Database) async throws -> T
    ) async throws -> T {
        let database = Database(settings: try settings ?? Self.settings(), logger: Logger(label: "test.db"))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await database.client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }
}

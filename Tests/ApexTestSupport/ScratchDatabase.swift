import Foundation
import Logging
import PostgresNIO
public import ServiceKit

extension TestDatabase {
    /// Runs `body` with the URL of a fresh, empty database (owned by the app role, with pgvector),
    /// dropped afterwards. For tests that need a schema of their own — e.g. another embedding
    /// model than the one recorded in the shared test database.
    public static func withScratchDatabase<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        guard let adminURL = ProcessInfo.processInfo.environment["APEX_TEST_ADMIN_DATABASE_URL"], !adminURL.isEmpty else {
            fatalError("APEX_TEST_ADMIN_DATABASE_URL is not set: run the tests with scripts/test")
        }
        let name = "scratch_\(UUID().uuidString.prefix(8).lowercased())"
        var admin = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": adminURL]))
        admin.database = "postgres"
        try await withDatabase(settings: admin) { database in
            try await database.withConnection { connection in
                let app = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url])).username
                try await connection.query(
                    PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) OWNER \(app) TEMPLATE template1"), logger: database.logger)
            }
        }
        let scratchURL = url.replacingOccurrences(of: "/apexflow?", with: "/\(name)?")
        do {
            let result = try await body(scratchURL)
            try? await drop(name, admin: admin)
            return result
        } catch {
            try? await drop(name, admin: admin)
            throw error
        }
    }

    private static func drop(_ name: String, admin: DatabaseSettings) async throws {
        try await withDatabase(settings: admin) { database in
            try await database.withConnection { connection in
                try await connection.query(
                    PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: database.logger)
            }
        }
    }
}

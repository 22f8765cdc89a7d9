import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing

@testable import Memory

/// A database failure in a request of apex-memory answers a generic 500: no SQL, no table or
/// column names, no PostgreSQL message reaches the client. The schema is broken in a scratch
/// database of its own, never in the shared test database.
@Suite("Database failures in apex-memory")
struct DatabaseFailureTests {
    static let internals = [
        "select", "insert", "memory.", "system_state", "chat_sessions", "heading", "relation", "column", "does not exist", "postgres",
        "psqlerror", "sqlstate", "42p01", "42703",
    ]

    static func expectGeneric500(_ response: TestResponse, _ what: String) throws {
        #expect(response.status == .internalServerError, "\(what)")
        let problem = try MemoryAPI.problem(response)
        #expect(problem.code == .internal, "\(what)")
        let body = String(buffer: response.body).lowercased()
            .replacingOccurrences(of: problem.traceID.isEmpty ? "\u{0}" : problem.traceID.lowercased(), with: "")
        let leaked = internals.filter { body.contains($0) }
        #expect(leaked.isEmpty, "\(what) leaks \(leaked): \(body)")
    }

    @Test func aBrokenSchemaAnswersA500WithoutSQL() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await MemoryTestApp.run(["DATABASE_URL": url, "LOG_LEVEL": "critical"]) { client in
                let api = MemoryAPI(client)
                _ = try await api.call(.put, "/api/v1/state/k", json: #"{"value": 1}"#, as: StateEntry.self)
                _ = try await api.call(.get, "/api/v1/chats", as: Page<Chat>.self)

                // Break two tables behind the running service's back (the app role owns them).
                let settings = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url]))
                try await TestDatabase.withDatabase(settings: settings) { database in
                    try await database.withConnection { connection in
                        _ = try await connection.query(
                            "ALTER TABLE memory.system_state RENAME TO system_state_moved", logger: database.logger)
                        _ = try await connection.query(
                            "ALTER TABLE memory.chat_sessions RENAME COLUMN title TO heading", logger: database.logger)
                    }
                }
                try Self.expectGeneric500(try await api.send(.get, "/api/v1/state/k"), "GET state (missing table)")
                try Self.expectGeneric500(try await api.send(.put, "/api/v1/state/k", json: #"{"value": 2}"#), "PUT state (missing table)")
                try Self.expectGeneric500(try await api.send(.get, "/api/v1/chats"), "GET chats (missing column)")
            }
        }
    }
}

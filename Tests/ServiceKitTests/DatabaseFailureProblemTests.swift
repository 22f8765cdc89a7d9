import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

@testable import ServiceKit

/// A database failure inside a request answers a generic problem: the status and code say what
/// kind of failure it was, but nothing of the statement, the server's message, the values bound
/// or the connection reaches the client (it goes to the log with the trace id instead).
@Suite("Database failures answer without internals")
struct DatabaseFailureProblemTests {
    /// What a leaking body would contain: statement text, object names, PostgreSQL's message and
    /// SQLSTATE, postgres-nio's type names, a bound value, connection details.
    static let internals = [
        "select", "selec", "no_such_table", "relation", "does not exist", "syntax", "psqlerror", "postgres", "42p01", "42601",
        "22p02", "sqlstate", "invalid input", "secret-bound-value", "127.0.0.1", "refused", "connection",
    ]

    /// Runs each statement in a route through `Database.withTransaction(.user(…))`, as the stores do.
    static func failingRoutes(_ core: ServiceCore) -> Router<ApexRequestContext> {
        let router = core.makeRouter()
        let database = core.database
        let statements: [(String, PostgresQuery)] = [
            ("missing-table", "SELECT * FROM no_such_table"),
            ("syntax", PostgresQuery(unsafeSQL: "SELEC 1")),
            ("bad-value", "SELECT \("secret-bound-value")::integer"),
        ]
        for (name, statement) in statements {
            router.get("/api/v1/boom/\(name)") { _, context -> HTTPResponse.Status in
                try await database.withTransaction(.user(try context.userID())) { connection in
                    _ = try await connection.query(statement, logger: context.logger)
                }
                return .ok
            }
        }
        return router
    }

    static func problem(of response: TestResponse) throws -> (ProblemDetails, String) {
        let body = String(buffer: response.body)
        let problem = try ApexJSON.makeDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
        return (problem, body)
    }

    /// The internals found in `body`, the random trace id left out (its hex digits could spell a
    /// port number by chance).
    static func leaked(in body: String, traceID: String, port: Int) -> [String] {
        let text = body.lowercased().replacingOccurrences(of: traceID.isEmpty ? "\u{0}" : traceID.lowercased(), with: "")
        return (internals + [String(port)]).filter { text.contains($0) }
    }

    /// A database that cannot be reached answers 503 with Retry-After, and nothing of the address,
    /// the port (`port`) or the driver's error.
    static func expectGeneric503(_ response: TestResponse, port: Int) throws {
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] != nil)
        let (problem, body) = try problem(of: response)
        #expect(problem.code == .upstreamUnavailable)
        let leaked = leaked(in: body, traceID: problem.traceID, port: port)
        #expect(leaked.isEmpty, "the body leaks \(leaked): \(body)")
    }

    @Test(arguments: ["missing-table", "syntax", "bad-value"])
    func aFailingStatementAnswersAGeneric500(route: String) async throws {
        // LOG_LEVEL=critical: the real error is logged at error level; keep the test output quiet.
        let core = ServiceCore(settings: try TestSettings.common(.rag, ["LOG_LEVEL": "critical"]), runtime: TestSettings.runtime())
        let app = try core.makeApplication(router: Self.failingRoutes(core), migrations: nil)
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/boom/\(route)", method: .get,
                headers: [.xApexIdentity: TestSettings.token(for: .rag, subject: "user-boom")])
            #expect(response.status == .internalServerError)
            #expect(response.headers[.contentType] == ProblemDetails.mediaType)
            let (problem, body) = try Self.problem(of: response)
            #expect(problem.code == .internal)
            #expect(problem.status == 500)
            #expect(!problem.traceID.isEmpty)
            let leaked = Self.leaked(in: body, traceID: problem.traceID, port: try TestDatabase.settings().port)
            #expect(leaked.isEmpty, "the body leaks \(leaked): \(body)")
        }
    }

    /// An unreachable database: 503 with Retry-After, and no address, port or driver error.
    @Test func anUnreachableDatabaseAnswersAGeneric503() async throws {
        let url = TestDatabase.url.replacingOccurrences(
            of: ":\(try TestDatabase.settings().port)/", with: ":9/")
        let core = ServiceCore(
            settings: try TestSettings.common(.rag, ["DATABASE_URL": url, "DB_ACQUIRE_TIMEOUT_MS": "300", "LOG_LEVEL": "critical"]),
            runtime: TestSettings.runtime())
        let app = try core.makeApplication(router: Self.failingRoutes(core), migrations: nil)
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/boom/missing-table", method: .get,
                headers: [.xApexIdentity: TestSettings.token(for: .rag, subject: "user-boom")])
            try Self.expectGeneric503(response, port: try TestDatabase.settings().port)
        }
    }

    /// An `APIError` thrown inside a transaction keeps its status (postgres-nio's own transaction
    /// wrapped it into a 500), and the transaction is rolled back.
    @Test func anAPIErrorInsideATransactionKeepsItsStatus() async throws {
        let core = ServiceCore(settings: try TestSettings.common(.rag, ["LOG_LEVEL": "critical"]), runtime: TestSettings.runtime())
        let router = core.makeRouter()
        let database = core.database
        let table = TestDatabase.uniqueSchema("tx_api_error")
        router.get("/api/v1/boom/conflict") { _, context -> HTTPResponse.Status in
            try await database.withTransaction(.system) { connection in
                _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (id int)"), logger: context.logger)
                throw APIError(.conflict, "the document changed concurrently")
            }
        }
        let app = try core.makeApplication(router: router, migrations: nil)
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/boom/conflict", method: .get, headers: [.xApexIdentity: TestSettings.token(for: .rag, subject: "user-boom")])
            #expect(response.status == .conflict)
            let (problem, _) = try Self.problem(of: response)
            #expect(problem.code == .conflict)
            #expect(problem.detail == "the document changed concurrently")
        }
        let exists = try await TestDatabase.withDatabase { database in
            try await database.withConnection { connection in
                let rows = try await connection.query("SELECT to_regclass(\(table)) IS NOT NULL", logger: database.logger)
                for try await value in rows.decode(Bool.self) { return value }
                return true
            }
        }
        #expect(!exists, "the transaction was rolled back")
    }

    /// The database going away in the middle of a transaction is a 503 with Retry-After, like an
    /// unreachable one, not a 500: the request may well succeed a moment later.
    @Test func aConnectionLostMidTransactionAnswersA503() async throws {
        let settings = try TestDatabase.settings()
        let proxy = TCPProxy(targetHost: settings.host, targetPort: settings.port)
        try await proxy.start()
        let url = TestDatabase.url.replacingOccurrences(of: ":\(settings.port)/", with: ":\(proxy.port)/")
        let core = ServiceCore(
            settings: try TestSettings.common(.rag, ["DATABASE_URL": url, "DB_ACQUIRE_TIMEOUT_MS": "1000", "LOG_LEVEL": "critical"]),
            runtime: TestSettings.runtime())
        let router = core.makeRouter()
        let database = core.database
        router.get("/api/v1/boom/dropped") { _, context -> HTTPResponse.Status in
            try await database.withTransaction(.user(try context.userID())) { connection in
                _ = try await connection.query("SELECT 1", logger: context.logger)
                // The database goes away while the next statement runs. postgres-nio's own
                // transaction then hung on its ROLLBACK to the closed connection (5 runs of 6).
                Task {
                    try await Task.sleep(for: .milliseconds(300))
                    await proxy.stop()
                }
                _ = try await connection.query("SELECT pg_sleep(5)", logger: context.logger)
            }
            return .ok
        }
        let app = try core.makeApplication(router: router, migrations: nil)
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/boom/dropped", method: .get, headers: [.xApexIdentity: TestSettings.token(for: .rag, subject: "user-boom")])
            try Self.expectGeneric503(response, port: proxy.port)
        }
    }
}

import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import ServiceKit
import Synchronization

@testable import Scheduler

/// Builds apex-scheduler as production does, with its ticks and workers confined to the test's
/// own users (other tests share the database), and runs a test against it through Hummingbird's
/// router test client. Migrations run as the application's own start-up step.
enum SchedulerTestApp {
    /// Background loops off unless a test turns them on.
    static let quiet = ["TICK_INTERVAL_SECONDS": "0", "TASK_WORKERS": "0", "RETENTION_INTERVAL_SECONDS": "0"]

    static func settings(_ overrides: [String: String] = [:]) throws -> SchedulerSettings {
        try SchedulerSettings(environment: TestSettings.environment(quiet.merging(overrides) { _, new in new }))
    }

    static func run<Value: Sendable>(
        _ overrides: [String: String] = [:], users: [String], backoff: RetryBackoff = .standard,
        clock: @escaping @Sendable () -> Date = { Date() },
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(
            settings: try settings(overrides), runtime: TestSettings.runtime(), scope: .users(users), backoff: backoff, clock: clock)
        return try await app.test(.router, test)
    }

    static func newUser() -> String { "user-\(UUID().uuidString.lowercased())" }
}

/// Calls the API as one user (internal identity token minted as the gateway would).
struct SchedulerAPI: Sendable {
    let client: any TestClientProtocol
    let user: String

    init(_ client: any TestClientProtocol, user: String) {
        self.client = client
        self.user = user
    }

    func `as`(_ other: String) -> SchedulerAPI { SchedulerAPI(client, user: other) }

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, subject: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.xApexIdentity: TestSettings.token(for: .scheduler, subject: subject ?? user)]
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    func call<T: Decodable>(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, as type: T.Type = T.self) async throws -> T {
        try Self.decode(T.self, from: try await send(method, path, json: json))
    }

    /// `POST /internal/tick` with the system identity.
    func tick() async throws -> TickResponse {
        try Self.decode(TickResponse.self, from: try await send(.post, "/internal/tick", subject: InternalIdentityClaims.systemSubject))
    }

    static func decode<T: Decodable>(_ type: T.Type, from response: TestResponse) throws -> T {
        guard (200..<300).contains(response.status.code) else {
            throw UnexpectedStatus(status: response.status.code, body: String(buffer: response.body))
        }
        return try ApexJSON.makeDecoder().decode(T.self, from: Data(buffer: response.body))
    }

    static func problem(_ response: TestResponse) throws -> ProblemDetails {
        try ApexJSON.makeDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
    }

    /// Polls `read` until `done` holds (at most `timeout`), returning the last value read.
    func eventually<T: Sendable>(
        timeout: Duration = .seconds(30), _ read: @escaping @Sendable () async throws -> T, until done: (T) -> Bool
    ) async throws -> T {
        try await Eventually.wait(timeout: timeout, read, until: done)
    }
}

struct UnexpectedStatus: Error, CustomStringConvertible {
    let status: Int
    let body: String
    var description: String { "HTTP \(status): \(body)" }
}

enum Eventually {
    struct TimedOut: Error, CustomStringConvertible {
        let last: String
        var description: String { "condition not met in time; last value: \(last)" }
    }

    static func wait<T: Sendable>(
        timeout: Duration = .seconds(30), _ read: @escaping @Sendable () async throws -> T, until done: (T) -> Bool
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            let value = try await read()
            if done(value) { return value }
            if ContinuousClock.now >= deadline { throw TimedOut(last: "\(value)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// The test database with the scheduler schema migrated, for tests that drive stores and loops
/// directly.
enum SchedulerTestDatabase {
    static let logger = Logger(label: "test.scheduler")

    static func withMigrated<T: Sendable>(_ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        try await TestDatabase.withDatabase { database in
            try await SchedulerSchema.migrations().run(on: database, logger: logger)
            return try await body(database)
        }
    }

    /// Runs `query` in the system scope and returns the first column of every row as `T`.
    static func values<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type, on database: Database) async throws -> [T]
    {
        try await database.withTransaction(.system) { connection in
            var values: [T] = []
            for try await value in try await connection.query(query, logger: logger).decode(T.self) { values.append(value) }
            return values
        }
    }

    static func execute(_ query: PostgresQuery, on database: Database) async throws {
        try await database.withTransaction(.system) { connection in
            _ = try await connection.query(query, logger: logger)
        }
    }
}

/// A "now" that tests move by hand: a simulated minute passes in milliseconds.
final class FakeClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

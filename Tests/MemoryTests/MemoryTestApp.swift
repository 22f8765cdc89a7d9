import ApexProtocol
import ApexTestSupport
import Embeddings
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import SemanticSearch
import ServiceKit

@testable import Memory

/// Builds apex-memory as production does (`buildApplication`), with the deterministic hash
/// embedder, and runs a test against it through Hummingbird's router test client. Migrations
/// and the embedding column are prepared by the application's own start-up steps.
enum MemoryTestApp {
    static func environment(_ overrides: [String: String] = [:]) -> EnvironmentReader {
        TestSettings.environment(["EMBEDDING_PROVIDER": "hash"].merging(overrides) { _, new in new })
    }

    static func settings(_ overrides: [String: String] = [:]) throws -> MemorySettings {
        try MemorySettings(environment: environment(overrides))
    }

    static func run<Value: Sendable>(
        _ overrides: [String: String] = [:], _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(settings: try settings(overrides), runtime: TestSettings.runtime())
        return try await app.test(.router, test)
    }

    static func newUser() -> String { "user-\(UUID().uuidString.lowercased())" }
}

/// Calls the API as one user (internal identity token minted as the gateway would).
struct MemoryAPI: Sendable {
    let client: any TestClientProtocol
    let user: String

    init(_ client: any TestClientProtocol, user: String = MemoryTestApp.newUser()) {
        self.client = client
        self.user = user
    }

    func `as`(_ other: String) -> MemoryAPI { MemoryAPI(client, user: other) }

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, json: String? = nil, contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.xApexIdentity: TestSettings.token(for: .memory, subject: user)]
        if json != nil { headers[.contentType] = contentType }
        return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: some Encodable) async throws -> TestResponse {
        try await send(method, path, json: String(decoding: try ApexJSON.encode(body), as: UTF8.self))
    }

    /// Sends and decodes a 2xx answer as `T`; any other status fails with the problem's text.
    func call<T: Decodable>(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, as type: T.Type = T.self) async throws -> T {
        try Self.decode(T.self, from: try await send(method, path, json: json))
    }

    func call<T: Decodable>(_ method: HTTPRequest.Method, _ path: String, body: some Encodable, as type: T.Type = T.self) async throws -> T
    {
        try Self.decode(T.self, from: try await send(method, path, body: body))
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
}

struct UnexpectedStatus: Error, CustomStringConvertible {
    let status: Int
    let body: String
    var description: String { "HTTP \(status): \(body)" }
}

/// The test database with apex-memory's schema migrated and its embedding column prepared
/// (for store-level tests that bypass HTTP).
enum MemoryTestDatabase {
    static let logger = Logger(label: "test.memory")

    static func withPrepared<T: Sendable>(_ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        try await TestDatabase.withDatabase { database in
            try await MemorySchema.migrations().run(on: database, logger: logger)
            try await MemoryStartup.prepare(database: database, model: HashEmbedderModel.info, logger: logger)
            return try await body(database)
        }
    }

    /// Runs one statement for `userID` (row-level security applies) and returns the first
    /// column of the first row as an integer.
    static func count(_ query: PostgresQuery, userID: String, on database: Database) async throws -> Int {
        try await database.withTransaction(.user(userID)) { connection in
            var count = 0
            for try await value in try await connection.query(query, logger: logger).decode(Int.self) { count = value }
            return count
        }
    }
}

/// The model the test applications record (`EMBEDDING_PROVIDER=hash`, 384 dimensions).
enum HashEmbedderModel {
    static let info = EmbeddingModelInfo(name: "hash-v1", dimension: 384)
}

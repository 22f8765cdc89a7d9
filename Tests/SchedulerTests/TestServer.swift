import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceKit
import Synchronization

/// Small servers on loopback standing in for what the scheduler calls: an `http` action target,
/// the agent runner, apex-memory (h2c, with internal identity), another service's retention.
enum TestServer {
    /// Runs `body` with an HTTP/1.1 server on 127.0.0.1 (ephemeral port) answering with `router`.
    static func run<T: Sendable>(
        _ router: Router<BasicRequestContext>, _ body: @escaping @Sendable (Int) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test.server")
        logger.logLevel = .warning
        let app = Application(
            router: router, server: .deferredHTTP1(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in try await LingeringStub.run { try await body(client.port!) } }
    }

    /// Runs `body` with an ApexFlow-style service (HTTP/1.1 + h2c, identity required) on loopback:
    /// what `ServiceClient` talks to.
    static func runService<T: Sendable>(
        _ service: ServiceName, routes: (Router<ApexRequestContext>) -> Void, _ body: @escaping @Sendable (Int) async throws -> T
    ) async throws -> T {
        let core = ServiceCore(settings: try TestSettings.common(service), runtime: TestSettings.runtime())
        let router = core.makeRouter()
        routes(router)
        let app = try core.makeApplication(router: router, migrations: nil)
        return try await app.test(.live) { client in try await LingeringStub.run { try await body(client.port!) } }
    }
}

/// Counts calls made to a test server and what they carried.
final class CallLog: Sendable {
    struct Call: Sendable {
        var path: String
        var method: String
        var body: String
        var identity: InternalIdentityClaims?
    }

    private let calls = Mutex<[Call]>([])

    func record(_ call: Call) { calls.withLock { $0.append(call) } }
    var all: [Call] { calls.withLock { $0 } }
    var count: Int { calls.withLock { $0.count } }
}

/// A latch a test server handler waits on (to hold a call open) until the test opens it.
final class Latch: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    }

    func open() { continuation.finish() }

    /// Returns when the latch opens or `timeout` passes.
    func wait(timeout: Duration) async {
        let stream = self.stream
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in stream {} }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }
}

import ApexProtocol
import Foundation
import Hummingbird
import Logging
import Memory
import ServiceKit
import ServiceLifecycle

/// apex-memory built by its own `buildApplication` and served on loopback (HTTP/1.1 + h2c), in
/// this process, plus an HTTP/2 `ServiceClient` to it — the way the gateway calls it.
enum ServiceUnderTest {
    static let secret = "bench-internal-secret-0123456789abcdef"

    static func environment(_ options: BenchOptions) -> [String: String] {
        [
            "DATABASE_URL": options.databaseURL, "PORT": String(options.port), "HOST": "127.0.0.1",
            "INTERNAL_AUTH_SECRET": secret, "EMBEDDING_PROVIDER": "hash", "DB_POOL_MAX": String(options.pool),
            "LOG_LEVEL": "error",
        ]
    }

    /// Runs `body` against the service; `servicePID` is set when the service is its own process.
    static func run<T: Sendable>(
        _ options: BenchOptions, _ body: @escaping @Sendable (_ client: ServiceClient, _ servicePID: Int32?) async throws -> T
    ) async throws -> T {
        if let binary = options.serviceBinary {
            return try await runSeparately(binary, options, body)
        }
        let environment = EnvironmentReader(Self.environment(options))
        let settings = try MemorySettings(environment: environment)
        var logger = Logger(label: "bench-memory")
        logger.logLevel = .error
        let app = try await buildApplication(settings: settings, runtime: ServiceRuntime(logger: logger))
        let client = try ServiceClient(
            target: .memory, baseURL: URL(string: "http://127.0.0.1:\(options.port)")!,
            identity: InternalIdentity(secret: secret, service: .gateway), timeout: .seconds(30))
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
        let running = Task { try await group.run() }
        do {
            try await waitUntilReady(client)
            let result = try await body(client, nil)
            await stop(client: client, group: group, running: running)
            return result
        } catch {
            await stop(client: client, group: group, running: running)
            throw error
        }
    }

    /// Graceful shutdown, but never waiting more than five seconds for it: the measurements
    /// are done, and a slow drain must not keep the next step from running.
    private static func stop(client: ServiceClient, group: ServiceGroup, running: Task<Void, any Error>) async {
        await client.shutdown()
        await group.triggerGracefulShutdown()
        let finished = Task {
            _ = await running.result
        }
        let timer = Task { try? await Task.sleep(for: .seconds(5)) }
        await withTaskGroup(of: Void.self) { race in
            race.addTask { await finished.value }
            race.addTask { await timer.value }
            await race.next()
            race.cancelAll()
        }
        timer.cancel()
    }

    /// The release `apex-memory` binary as its own process (how production runs it), so its CPU
    /// is measured apart from the load generator's.
    private static func runSeparately<T: Sendable>(
        _ binary: String, _ options: BenchOptions, _ body: @escaping @Sendable (ServiceClient, Int32?) async throws -> T
    ) async throws -> T {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.environment = ProcessInfo.processInfo.environment.merging(Self.environment(options)) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let client = try ServiceClient(
            target: .memory, baseURL: URL(string: "http://127.0.0.1:\(options.port)")!,
            identity: InternalIdentity(secret: secret, service: .gateway), timeout: .seconds(30))
        try await waitUntilReady(client)
        let result = try await body(client, process.processIdentifier)
        await client.shutdown()
        return result
    }

    private static func waitUntilReady(_ client: ServiceClient) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            do {
                let status: HealthStatus = try await client.call(.get, "/readiness", as: "bench", timeout: .seconds(2))
                if status.status == .ready { return }
            } catch  where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}

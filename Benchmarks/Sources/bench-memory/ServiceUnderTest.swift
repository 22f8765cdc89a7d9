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

    static func run<T: Sendable>(_ options: BenchOptions, _ body: @escaping @Sendable (ServiceClient) async throws -> T) async throws -> T {
        let environment = EnvironmentReader([
            "DATABASE_URL": options.databaseURL, "PORT": String(options.port), "HOST": "127.0.0.1",
            "INTERNAL_AUTH_SECRET": secret, "EMBEDDING_PROVIDER": "hash", "DB_POOL_MAX": String(options.pool),
            "LOG_LEVEL": "error",
        ])
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
            let deadline = ContinuousClock.now + .seconds(120)
            while true {
                do {
                    let status: HealthStatus = try await client.call(.get, "/readiness", as: "bench", timeout: .seconds(2))
                    if status.status == .ready { break }
                } catch where ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let result = try await body(client)
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
}

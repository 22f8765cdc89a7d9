import Logging
import ServiceKit
import ServiceLifecycle

/// The built-in daily sweep: every `RETENTION_INTERVAL_SECONDS`, exactly one replica (the one that
/// claims the round in `scheduler.maintenance_runs`) runs `RetentionSweep.everywhere()`.
struct RetentionSweeper: Service {
    let sweep: RetentionSweep
    let store: any RetentionStore
    let interval: Duration
    let gate: SchemaGate
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await gate.wait() }
        } catch {
            return
        }
        // Replicas look for a due round often enough that the interval holds to within a minute.
        let pause = min(interval, .seconds(60))
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if try await store.claimRound("retention", every: interval) {
                    _ = await sweep.everywhere()
                }
            } catch {
                logger.error("retention round failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                return
            }
        }
    }
}

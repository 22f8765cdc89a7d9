import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// The in-process ticker: a scheduling pass every `TICK_INTERVAL_SECONDS`. Between passes it
/// sleeps; graceful shutdown wakes it and it stops (a pass in progress completes first).
struct Ticker: Service {
    let engine: TickEngine
    let interval: Duration
    let gate: SchemaGate
    let clock: @Sendable () -> Date
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await gate.wait() }
        } catch {
            return
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let result = try await engine.tick(now: clock())
                if result.claimed + result.skipped > 0 {
                    logger.info("tick", metadata: ["claimed": "\(result.claimed)", "skipped": "\(result.skipped)"])
                }
            } catch {
                logger.error("tick failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}

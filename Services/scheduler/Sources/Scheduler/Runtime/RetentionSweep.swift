import ApexProtocol
import Logging
import ServiceKit
import ServiceLifecycle

/// Deletes rows past their retention: the scheduler's own (`job_runs`, finished `tasks`), and —
/// for the built-in sweep — every other service's, through its `POST /internal/retention` called
/// with the `system` identity.
struct RetentionSweep: Sendable {
    let store: any RetentionStore
    let jobRunDays: Int
    let taskDays: Int
    let targets: [(ServiceName, ServiceClient)]
    let logger: Logger

    /// The scheduler's own tables (what its `/internal/retention` answers).
    func ownTables() async throws -> RetentionResponse {
        RetentionResponse(deleted: try await store.sweep(jobRunDays: jobRunDays, taskDays: taskDays))
    }

    /// Own tables, then every configured service; one service failing does not stop the others.
    /// Answers the deletions per service (absent: that sweep failed, and the log says why).
    func everywhere() async -> [ServiceName: RetentionResponse] {
        var results: [ServiceName: RetentionResponse] = [:]
        do {
            results[.scheduler] = try await ownTables()
        } catch {
            logger.error("retention of the scheduler's tables failed", metadata: ["error": "\(String(reflecting: error))"])
        }
        await withTaskGroup(of: (ServiceName, RetentionResponse?).self) { group in
            for (service, client) in targets {
                let logger = self.logger
                group.addTask {
                    do {
                        let response: RetentionResponse = try await client.call(
                            .post, APIEndpoints.retention(on: service).path, body: JSONValue.object([:]),
                            as: InternalIdentityClaims.systemSubject)
                        return (service, response)
                    } catch {
                        logger.error("retention sweep of a service failed", metadata: ["service": "\(service.rawValue)", "error": "\(error)"])
                        return (service, nil)
                    }
                }
            }
            for await (service, response) in group {
                if let response { results[service] = response }
            }
        }
        for (service, response) in results.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            logger.info("retention sweep", metadata: ["service": "\(service.rawValue)", "deleted": "\(response.deleted)"])
        }
        return results
    }
}

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

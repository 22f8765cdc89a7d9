import ApexProtocol
import Logging
import ServiceKit

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
                        logger.error(
                            "retention sweep of a service failed", metadata: ["service": "\(service.rawValue)", "error": "\(error)"])
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

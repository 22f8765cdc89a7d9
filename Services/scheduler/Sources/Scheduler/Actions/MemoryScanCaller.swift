import ApexProtocol
import ServiceKit

/// Runs `memory_scan` actions: `POST /api/v1/memories/scan` on apex-memory over HTTP/2 through the
/// ServiceKit client, acting as the task's owner (the internal identity's `sub`).
struct MemoryScanCaller: Sendable {
    let client: ServiceClient?
    let timeout: Duration

    func scan(for userID: String) async -> AttemptOutcome {
        guard let client else {
            return .permanent("MEMORY_URL is not set: the scheduler cannot reach apex-memory to run memory_scan")
        }
        do {
            let response: MemoryScanResponse = try await client.call(
                .post, APIEndpoints.scanMemories.path, body: JSONValue.object([:]), as: userID, timeout: timeout)
            return .succeeded(JSONValue.encoding(response).objectValue ?? [:])
        } catch ServiceClientError.status(let code, let problem) {
            let detail = problem.map { ": \($0.detail)" } ?? ""
            // A 4xx will answer the same next time (except a timeout or rate limit): stop trying.
            let retryable = code >= 500 || code == 408 || code == 429
            return .failed("apex-memory answered \(code)\(detail)", retryable: retryable)
        } catch {
            return .retryable("apex-memory: \(error)")
        }
    }
}

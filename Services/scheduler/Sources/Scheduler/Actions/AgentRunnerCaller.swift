import ApexProtocol
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Runs `agent` actions: POSTs `{"agent_type", "query", "user_id", "task_id", "job_id"}` to
/// `AGENT_RUNNER_URL`. Without that variable the attempt fails for good, saying so.
struct AgentRunnerCaller: Sendable {
    let call: BoundedHTTPCall
    let url: URL?

    struct Handoff: Encodable {
        let agentType: String
        let query: String
        let userID: String
        let taskID: String
        let jobID: String?

        enum CodingKeys: String, CodingKey {
            case agentType = "agent_type"
            case query
            case userID = "user_id"
            case taskID = "task_id"
            case jobID = "job_id"
        }
    }

    func run(agentType: String, query: String, task: LeasedTask) async -> AttemptOutcome {
        guard let url else {
            return .permanent("AGENT_RUNNER_URL is not set: there is no agent runner to hand the query to")
        }
        let handoff = Handoff(
            agentType: agentType, query: query, userID: task.userID, taskID: task.id.lowercasedString,
            jobID: task.jobID?.lowercasedString)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "User-Agent", value: "apex-scheduler")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: (try? ApexJSON.encode(handoff)) ?? Data("{}".utf8)))
        return await call.perform(request, describing: "the agent runner")
    }
}

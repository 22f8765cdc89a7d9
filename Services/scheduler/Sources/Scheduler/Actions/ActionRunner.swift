import ApexProtocol

/// Runs one attempt of a task's action. `notify` never comes here: it is the insert of a row,
/// which the queue does in the same statement that finishes the task (so a notification exists
/// exactly when its task succeeded).
struct ActionRunner: Sendable {
    let http: HTTPActionCaller
    let memory: MemoryScanCaller
    let agent: AgentRunnerCaller

    func run(_ task: LeasedTask) async -> AttemptOutcome {
        switch task.action {
        case .notify:
            return .succeeded([:])
        case .memoryScan:
            return await memory.scan(for: task.userID)
        case .http(let url, let method, let body):
            return await http.call(url: url, method: method, body: body)
        case .agent(let agentType, let query):
            return await agent.run(agentType: agentType, query: query, task: task)
        }
    }
}

public import ApexProtocol
public import Foundation

/// A task a worker holds: what to run, for whom, and the lease token that proves the hold.
public struct LeasedTask: Sendable, Equatable {
    public let id: UUID
    public let userID: String
    public let action: JobAction
    /// This attempt's number (1 for the first).
    public let attempt: Int
    public let maxAttempts: Int
    /// The job run this task executes, if it came from a job.
    public let jobRunID: UUID?
    public let jobID: UUID?
    /// The lease token: only its holder may finish the task.
    public let token: String

    public init(id: UUID, userID: String, action: JobAction, attempt: Int, maxAttempts: Int, jobRunID: UUID?, jobID: UUID?, token: String) {
        self.id = id
        self.userID = userID
        self.action = action
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.jobRunID = jobRunID
        self.jobID = jobID
        self.token = token
    }

    public var lease: HeldLease { HeldLease(taskID: id, token: token) }
}

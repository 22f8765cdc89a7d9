public import ApexProtocol
public import Foundation
public import ServiceKit

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

/// One lease as the heartbeat and the shutdown release name it.
public struct HeldLease: Sendable, Hashable {
    public let taskID: UUID
    public let token: String

    public init(taskID: UUID, token: String) {
        self.taskID = taskID
        self.token = token
    }
}

/// The end of an attempt as the queue records it.
public struct TaskCompletion: Sendable, Equatable {
    public let lease: HeldLease
    public let outcome: AttemptOutcome
    /// When `outcome` is a retryable failure: how long to wait before the next attempt.
    public let retryDelay: Duration
    /// The id of the notification this completion may create (the `notify` action's, or the
    /// failed job run's), generated in the service so it is time-ordered.
    public let notificationID: UUID

    public init(lease: HeldLease, outcome: AttemptOutcome, retryDelay: Duration = .zero, notificationID: UUID = UUIDv7.generate()) {
        self.lease = lease
        self.outcome = outcome
        self.retryDelay = retryDelay
        self.notificationID = notificationID
    }
}

/// What `finish` recorded for a task whose lease was still held.
public struct FinishedTask: Sendable, Equatable {
    public let id: UUID
    public let status: TaskStatus
}

public import Foundation
public import ServiceKit

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

import Foundation

/// The system side of the task queue: the workers' leases. Runs across users (row-level
/// security's system scope) within a `WorkScope`.
public protocol TaskQueue: Sendable {
    /// Leases due tasks with `FOR UPDATE SKIP LOCKED`: every due `notify` task among the first
    /// `limit` (they finish together in one statement) plus at most one other task.
    func lease(token: String, limit: Int, for lease: Duration, scope: WorkScope) async throws -> [LeasedTask]
    /// Records attempts whose lease is still held; a lease lost meanwhile (expired and taken
    /// over) records nothing for that task, and it is absent from the answer.
    func finish(_ completions: [TaskCompletion]) async throws -> [FinishedTask]
    /// `finish(completions)` and then `lease(…)` in one transaction: a busy worker records its
    /// last batch and takes the next in one round of statements instead of two.
    func finishAndLease(
        _ completions: [TaskCompletion], token: String, limit: Int, for lease: Duration, scope: WorkScope
    ) async throws -> (finished: [FinishedTask], leased: [LeasedTask])
    /// Pushes the expiry of held leases to `lease` from now; answers how many were still held.
    func extend(_ leases: [HeldLease], for lease: Duration) async throws -> Int
    /// Makes tasks whose lease expired runnable again (or `dead` when that was their last
    /// attempt); answers how many.
    func reclaimExpired(scope: WorkScope, limit: Int) async throws -> Int
    /// Gives back leases of attempts interrupted by shutdown: the task is due again at once and
    /// the interrupted attempt does not count.
    func release(_ leases: [HeldLease]) async throws -> Int
}

import ApexProtocol
public import Foundation

/// One batch of a scheduling pass: what was examined and what was claimed.
public struct TickBatch: Sendable, Equatable {
    /// Due jobs this batch locked and advanced.
    public var examined: Int
    /// Runs started (`running`, with a task).
    public var claimed: Int
    /// Slots recorded as `skipped` because the job's previous run was still going.
    public var skipped: Int

    public init(examined: Int, claimed: Int, skipped: Int) {
        self.examined = examined
        self.claimed = claimed
        self.skipped = skipped
    }
}

/// The tick's database work, across users (row-level security's system scope).
public protocol TickStore: Sendable {
    /// Locks up to `limit` jobs due at `now` (`FOR UPDATE SKIP LOCKED`: concurrent ticks split the
    /// work), lets `plan` decide each one's slot and next run, then in one statement claims the
    /// slots (`INSERT … ON CONFLICT (job_id, scheduled_for) DO NOTHING`), enqueues their tasks and
    /// advances `next_run`.
    func claimDueSlots(
        now: Date, limit: Int, maxAttempts: Int, scope: WorkScope,
        plan: @escaping @Sendable (DueJob) -> DueJobDecision
    ) async throws -> TickBatch
}

/// A due job as the tick reads it.
public struct DueJob: Sendable {
    public let id: UUID
    public let cronExpression: String
    public let timezone: String
    public let nextRun: Date
}

/// What the tick does with a due job.
public enum DueJobDecision: Sendable, Equatable {
    /// Claim `plan.slot` and move `next_run` to `plan.nextRun`.
    case claim(TickPlan)
    /// Nothing is due after all: only move `next_run` (nil: never again).
    case reschedule(Date?)
}

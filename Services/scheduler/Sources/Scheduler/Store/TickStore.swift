import ApexProtocol
public import Foundation

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

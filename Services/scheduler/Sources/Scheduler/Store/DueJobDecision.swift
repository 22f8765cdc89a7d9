public import Foundation

/// What the tick does with a due job.
public enum DueJobDecision: Sendable, Equatable {
    /// Claim `plan.slot` and move `next_run` to `plan.nextRun`.
    case claim(TickPlan)
    /// Nothing is due after all: only move `next_run` (nil: never again).
    case reschedule(Date?)
}

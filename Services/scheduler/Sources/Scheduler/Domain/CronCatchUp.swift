public import Foundation

/// What a tick should run for one job: the latest due slot, standing for every slot that came due
/// since the last one (missed slots coalesce into one run of the latest).
public struct CronCatchUp: Sendable, Hashable {
    /// The latest slot at or before "now": the one to run.
    public let latestSlot: Date
    /// Slots that came due before `latestSlot` and are folded into its run (0 when none was missed).
    public let missedSlots: Int
    /// `true` when the backlog was longer than `CronSchedule.catchUpCountingLimit` and
    /// `missedSlots` only counts the slots within that limit (a lower bound).
    public let missedSlotsTruncated: Bool
    /// The first slot after "now": the job's new `next_run` (`nil` if it never fires again).
    public let nextSlot: Date?

    public init(latestSlot: Date, missedSlots: Int, missedSlotsTruncated: Bool, nextSlot: Date?) {
        self.latestSlot = latestSlot
        self.missedSlots = missedSlots
        self.missedSlotsTruncated = missedSlotsTruncated
        self.nextSlot = nextSlot
    }
}

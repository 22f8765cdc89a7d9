public import ApexProtocol
public import Foundation

/// What one tick does with one due job — pure, so the slot arithmetic is tested without a
/// database: which slot to claim (the latest due; missed ones coalesce into it), how many were
/// missed, and the job's new `next_run`.
public struct TickPlan: Sendable, Equatable {
    public let jobID: UUID
    /// The slot the run is for: the latest one at or before "now".
    public let slot: Date
    /// Earlier slots that came due without a tick and are folded into this run.
    public let missedSlots: Int
    /// `missedSlots` is only a lower bound (a backlog of more than ten years).
    public let missedSlotsTruncated: Bool
    /// `nil` when the job will never fire again.
    public let nextRun: Date?

    public init(jobID: UUID, slot: Date, missedSlots: Int, missedSlotsTruncated: Bool, nextRun: Date?) {
        self.jobID = jobID
        self.slot = slot
        self.missedSlots = missedSlots
        self.missedSlotsTruncated = missedSlotsTruncated
        self.nextRun = nextRun
    }

    /// The plan for a job whose `next_run` is `nextRun` (`<= now`), or `nil` when nothing is due
    /// after all (then `rescheduled(after:)` gives the corrected next run).
    public static func make(jobID: UUID, schedule: JobSchedule, nextRun: Date, now: Date) -> TickPlan? {
        guard let catchUp = schedule.cron.catchUp(from: nextRun, now: now, in: schedule.timeZone) else { return nil }
        return TickPlan(
            jobID: jobID, slot: catchUp.latestSlot, missedSlots: catchUp.missedSlots,
            missedSlotsTruncated: catchUp.missedSlotsTruncated, nextRun: catchUp.nextSlot)
    }

    /// What the run's output says about the slots it stands for: `{"missed_slots": n}` (plus
    /// `"missed_slots_truncated": true` for a backlog beyond the counting limit); `nil` when none
    /// was missed.
    public var missedSlotsOutput: JSONObject? {
        guard missedSlots > 0 || missedSlotsTruncated else { return nil }
        var output: JSONObject = ["missed_slots": .number(Double(missedSlots))]
        if missedSlotsTruncated { output["missed_slots_truncated"] = .bool(true) }
        return output
    }
}

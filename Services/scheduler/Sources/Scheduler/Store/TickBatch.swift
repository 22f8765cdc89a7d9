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

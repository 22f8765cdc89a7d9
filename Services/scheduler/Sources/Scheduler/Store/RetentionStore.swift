import Foundation

/// The scheduler's own retention and the once-per-interval claim of periodic maintenance.
public protocol RetentionStore: Sendable {
    /// Deletes finished job runs older than `jobRunDays` (by slot) and finished tasks
    /// (`succeeded`, `dead`) last updated more than `taskDays` ago, in bounded batches. Answers rows
    /// deleted per table.
    func sweep(jobRunDays: Int, taskDays: Int) async throws -> [String: Int]
    /// `true` for exactly one caller per `interval` across all replicas: the one whose update moved
    /// the round's start time.
    func claimRound(_ name: String, every interval: Duration) async throws -> Bool
}

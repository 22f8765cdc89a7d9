public import ApexProtocol
public import Foundation

/// Cron jobs and their runs, always for one user: every call runs in that user's row-level
/// security scope and filters on `user_id`; another user's job is answered as missing (`nil`).
public protocol JobStore: Sendable {
    func create(_ draft: JobDraft, for userID: String) async throws -> Job
    func list(for userID: String, limit: Int, after cursor: ListPosition?) async throws -> Page<Job>
    func job(_ id: UUID, for userID: String) async throws -> Job?
    /// Reads the job under a row lock, lets `change` compute the new fields, writes them.
    func update(_ id: UUID, for userID: String, _ change: @escaping @Sendable (Job) throws -> JobDraft) async throws -> Job?
    func delete(_ id: UUID, for userID: String) async throws -> Bool
    /// Claims slot `slot` for a run now (run-now); an existing run of that slot is answered as is.
    func runNow(_ id: UUID, for userID: String, slot: Date, maxAttempts: Int) async throws -> JobRun?
    /// `nil` when the job is not the user's.
    func runs(of jobID: UUID, for userID: String, limit: Int, after cursor: ListPosition?) async throws -> Page<JobRun>?
}

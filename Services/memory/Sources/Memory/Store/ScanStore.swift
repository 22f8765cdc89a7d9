/// What the memory scan reads and writes.
protocol ScanStore: Sendable {
    /// The user's completed sessions not scanned yet (oldest first), leaving out those whose
    /// extraction already failed `maxAttempts` times.
    func pendingSessions(userID: String, limit: Int, maxAttempts: Int) async throws -> [SessionTranscript]
    /// In one transaction: marks the session scanned, stores the drafts through the dedup path
    /// (`MemoryWriter`), and records how many were new. Returns that number, or `nil` when the
    /// session was scanned meanwhile (a concurrent scan) or is no longer completed; then nothing
    /// is written.
    func recordScan(userID: String, sessionID: String, drafts: [MemoryDraft]) async throws -> Int?
    /// Remembers that extracting from the session failed, and why (the session stays unscanned).
    func recordFailure(userID: String, sessionID: String, error: String) async throws
}

/// Deletes rows past their retention, across all users (system scope).
protocol RetentionStore: Sendable {
    /// Rows deleted per table: `chat_messages`, `sessions`.
    func sweep(_ policy: RetentionPolicy) async throws -> [String: Int]
}

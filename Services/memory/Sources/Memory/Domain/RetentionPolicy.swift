public import ServiceKit

/// How long finished work is kept, and how much one delete statement may remove.
///
/// Deleting in bounded batches keeps each transaction short, so a sweep over a year of chat
/// history never holds locks or bloats WAL the way one huge `DELETE` would.
public struct RetentionPolicy: Sendable, Equatable {
    /// `CHAT_MESSAGES_RETENTION_DAYS` (365): messages older than this go.
    public var chatMessagesDays: Int
    /// `SESSIONS_RETENTION_DAYS` (180): sessions finished longer ago than this go.
    public var sessionsDays: Int
    /// `RETENTION_BATCH_SIZE` (1000): rows per delete statement.
    public var batchSize: Int

    public init(chatMessagesDays: Int = 365, sessionsDays: Int = 180, batchSize: Int = 1000) {
        self.chatMessagesDays = chatMessagesDays
        self.sessionsDays = sessionsDays
        self.batchSize = batchSize
    }

    public init(environment env: EnvironmentReader) throws(ConfigurationError) {
        self.init(
            chatMessagesDays: try env.int("CHAT_MESSAGES_RETENTION_DAYS", default: 365, range: 1...36_500),
            sessionsDays: try env.int("SESSIONS_RETENTION_DAYS", default: 180, range: 1...36_500),
            batchSize: try env.int("RETENTION_BATCH_SIZE", default: 1000, range: 1...100_000)
        )
    }
}

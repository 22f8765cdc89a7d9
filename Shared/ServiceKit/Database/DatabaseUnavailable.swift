/// The database could not be reached in time: no connection became free within
/// `DB_ACQUIRE_TIMEOUT_MS`. Answered as 503, never as a hang.
public struct DatabaseUnavailable: Error, CustomStringConvertible, Sendable {
    public let waited: Duration
    public var description: String { "no database connection became available within \(waited)" }
}

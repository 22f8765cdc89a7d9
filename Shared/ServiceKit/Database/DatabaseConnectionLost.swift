/// The connection a transaction was using closed before its next statement (the database
/// restarted, failed over, or the network dropped). The server has rolled the transaction back;
/// the request may be retried. Answered as 503, like ``DatabaseUnavailable``.
public struct DatabaseConnectionLost: Error, CustomStringConvertible, Sendable {
    public var description: String { "the database connection closed during a transaction" }
}

public import Logging
import NIOCore
import NIOPosix
import NIOSSL
public import PostgresNIO
import Synchronization

/// The service's PostgreSQL: a `PostgresClient` (run it as a service) plus what postgres-nio lacks —
/// a bounded wait for a connection, and transactions scoped to one tenant for row-level security.
public struct Database: Sendable {
    public let client: PostgresClient
    public let settings: DatabaseSettings
    public let logger: Logger
    let inUse: InUseGauge

    public init(settings: DatabaseSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.client = PostgresClient(configuration: Self.clientConfiguration(settings), backgroundLogger: logger)
        self.inUse = InUseGauge()
    }

    /// Connections currently lent out by this process (for the pool gauge).
    public var connectionsInUse: Int { inUse.value }

    /// libpq's sslmode semantics: `prefer`/`require` encrypt without verifying the certificate.
    static func tlsConfiguration(_ mode: DatabaseSettings.SSLMode) -> TLSConfiguration? {
        guard mode != .disable else { return nil }
        var config = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable, .prefer, .require: config.certificateVerification = .none
        case .verifyCA: config.certificateVerification = .noHostnameVerification
        case .verifyFull: config.certificateVerification = .fullVerification
        }
        return config
    }

    static func clientConfiguration(_ settings: DatabaseSettings) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch (settings.sslMode, tlsConfiguration(settings.sslMode)) {
            case (.prefer, let config?): .prefer(config)
            case (_, let config?): .require(config)
            case (_, nil): .disable
            }
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username,
            password: settings.password, database: settings.database, tls: tls
        )
        configuration.options.maximumConnections = settings.poolMax
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = settings.connectTimeout
        configuration.options.additionalStartupParameters = [("application_name", "apexflow")]
        return configuration
    }

    /// Lends a connection, waiting at most `acquireTimeout` for one to become free.
    ///
    /// postgres-nio queues lease requests without a limit; a request must not hang on an
    /// unreachable database, so the lease runs in a task that a timer on an event loop cancels
    /// when the wait is over (the lease is cancellable). Once the connection is lent, `body` runs
    /// without that deadline.
    ///
    /// One task and an event-loop timer per lease: a task group racing the lease against
    /// `Task.sleep` cost two child tasks and a dispatch timer on every database call.
    public func withConnection<Result: Sendable>(
        timeout: Duration? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let waitLimit = timeout ?? settings.acquireTimeout
        let lease = LeaseOutcome()
        let gauge = inUse
        let client = self.client
        let work = Task {
            try await client.withConnection { connection in
                // A connection that arrives after the caller was told 503 is handed straight
                // back: the body must not run (and maybe commit) behind that answer.
                guard lease.claimConnection() else { throw CancellationError() }
                gauge.add(1)
                defer { gauge.add(-1) }
                return try await body(connection)
            }
        }
        let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(Int64(waitLimit / .nanoseconds(1)))) {
            if lease.claimTimeout() { work.cancel() }
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await work.value
            } onCancel: {
                work.cancel()
            }
        } catch {
            if lease.timedOut { throw DatabaseUnavailable(waited: waitLimit) }
            throw error
        }
    }

    /// Runs `body` in one transaction whose row-level-security scope is `scope`.
    ///
    /// The scope is set with `set_config(…, true)` (transaction-local), so a pooled connection
    /// never carries one user's identity into another request. Any error rolls everything back.
    ///
    /// What fails is thrown as itself: an `APIError` of the body keeps its status, a constraint
    /// violation its SQLSTATE, a lost connection stays a connection failure (→ 503).
    ///
    /// This is not postgres-nio's `withTransaction`, for two reasons. It wraps every failure in
    /// one `PostgresTransactionError` (a 500 for all of them). And a statement written to a
    /// connection that has already closed never returns in postgres-nio 1.33.2 (the write's
    /// promise is dropped), so its `ROLLBACK` after the database went away mid-transaction hung
    /// the request for good (measured: 5 runs of 6). Here no statement is sent on a closed
    /// connection: the server has rolled the transaction back already.
    public func withTransaction<Result: Sendable>(
        _ scope: TenantScope,
        settings: [(String, String)] = [],
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let logger = self.logger
        return try await withConnection { connection in
            try Self.ensureOpen(connection)
            do {
                try await connection.query("BEGIN", logger: logger)
                try await connection.query(Self.scopeQuery(scope, settings: settings), logger: logger)
                let value = try await body(connection)
                try Self.ensureOpen(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                await Self.abandonTransaction(on: connection, after: error, logger: logger)
                throw error
            }
        }
    }

    /// Ends a failed transaction so that the pool never lends the connection out again inside it:
    /// `ROLLBACK` when the connection is healthy; when it closed, nothing (the server rolled back);
    /// when the failure was a connection failure or the rollback itself fails, the connection is
    /// closed and the pool replaces it.
    static func abandonTransaction(on connection: PostgresConnection, after error: any Error, logger: Logger) async {
        guard !connection.isClosed else { return }
        let connectionFailed = (error as? PSQLError)?.isConnectionFailure ?? (error is DatabaseConnectionLost)
        if !connectionFailed {
            do {
                try await connection.query("ROLLBACK", logger: logger)
                return
            } catch {
                logger.warning("rollback failed; closing the connection", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
        try? await connection.close()
    }

    /// Refuses to write to a closed connection (see `withTransaction`).
    static func ensureOpen(_ connection: PostgresConnection) throws {
        if connection.isClosed { throw DatabaseConnectionLost() }
    }

    /// One statement sets the tenant scope and any transaction-local settings (`hnsw.ef_search`…):
    /// `set_config(…, true)` takes bind parameters where `SET LOCAL` cannot, and one round trip
    /// instead of several.
    static func scopeQuery(_ scope: TenantScope, settings: [(String, String)]) -> PostgresQuery {
        var binds = PostgresBindings()
        var calls: [String] = []
        let (user, system) =
            switch scope {
            case .user(let userID): (userID, "off")
            case .system: ("", "on")
            }
        for (name, value) in [("apex.user_id", user), ("apex.system", system)] + settings {
            binds.append(name)
            binds.append(value)
            calls.append("set_config($\(binds.count - 1), $\(binds.count), true)")
        }
        return PostgresQuery(unsafeSQL: "SELECT " + calls.joined(separator: ", "), binds: binds)
    }
}

/// Counts lent connections without a lock on the hot path.
final class InUseGauge: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ delta: Int) { count.add(delta, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

extension PSQLError {
    /// SQLSTATE of the server error, when the server sent one.
    public var sqlState: String? { serverInfo?[.sqlState] }
    /// `23505`: a UNIQUE constraint refused the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// The connection to the database failed or closed: the statement may be fine, the
    /// database is not reachable right now.
    public var isConnectionFailure: Bool {
        if [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed].contains(code) {
            return true
        }
        // The server is shutting down, restarting or failing over (57P01–57P03), or the
        // connection itself failed (class 08).
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }
}

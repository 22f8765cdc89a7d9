import Logging
import NIOSSL
import PostgresNIO

/// The readiness probe's own connection, outside the pool.
///
/// postgres-nio's pool neither reports lost connections nor fails a lease while the database is
/// down (it waits and retries with backoff), so a probe through the pool can only time out. A
/// dedicated connection is closed the moment the server goes away, so "the connection is still
/// open" is what makes a cached success trustworthy, and reconnecting fails fast with
/// "connection refused" when the database is gone.
actor DatabaseProbe {
    private let settings: DatabaseSettings
    private let logger: Logger
    private var connection: PostgresConnection?

    init(settings: DatabaseSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// True while the connection of the last successful check is still open.
    var isConnected: Bool { connection.map { !$0.isClosed } ?? false }

    /// Runs `SELECT 1`, reconnecting when needed; throws on failure.
    func check() async throws {
        if let connection, connection.isClosed { self.connection = nil }
        if connection == nil {
            connection = try await PostgresConnection.connect(configuration: try configuration(), id: 0, logger: logger)
        }
        do {
            try await connection!.query("SELECT 1", logger: logger)
        } catch {
            try? await connection?.close()
            connection = nil
            throw error
        }
    }

    func close() async {
        try? await connection?.close()
        connection = nil
    }

    private func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        if let config = Database.tlsConfiguration(settings.sslMode) {
            let context = try NIOSSLContext(configuration: config)
            tls = settings.sslMode == .prefer ? .prefer(context) : .require(context)
        } else {
            tls = .disable
        }
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username,
            password: settings.password, database: settings.database, tls: tls)
        configuration.options.connectTimeout = .init(settings.connectTimeout)
        return configuration
    }
}

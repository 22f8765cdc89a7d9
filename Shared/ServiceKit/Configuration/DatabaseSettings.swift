public import Foundation

/// Where the service's PostgreSQL is and how to reach it.
///
/// Precedence follows the seeds: `DATABASE_URL`; else, on Cloud Run (`K_SERVICE` set), the
/// `ALLOYDB_*` variables; else the `DB_*` variables. Each service may point at its own database.
public struct DatabaseSettings: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// Which variables the settings came from, for the start-up log line.
    public enum Source: String, Sendable { case databaseURL = "DATABASE_URL", alloyDB = "ALLOYDB_*", dbVariables = "DB_*" }

    public var host: String
    public var port: Int
    public var database: String
    public var username: String
    public var password: String?
    public var sslMode: SSLMode
    public var source: Source
    /// Most connections this process opens (`DB_POOL_MAX`).
    public var poolMax: Int
    /// How long a request waits for a free connection before it fails (`DB_ACQUIRE_TIMEOUT_MS`).
    /// postgres-nio waits forever; an unreachable database must not hang requests.
    public var acquireTimeout: Duration
    /// How long one connection attempt may take (`DB_CONNECT_TIMEOUT_MS`).
    public var connectTimeout: Duration

    /// The settings without the password, safe for logs.
    public var redactedDescription: String {
        "postgres://\(username)@\(host):\(port)/\(database) sslmode=\(sslMode.rawValue) pool=\(poolMax) (from \(source.rawValue))"
    }

    public init(
        host: String, port: Int = 5432, database: String, username: String, password: String?,
        sslMode: SSLMode = .prefer, source: Source = .dbVariables, poolMax: Int = 5,
        acquireTimeout: Duration = .seconds(5), connectTimeout: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.sslMode = sslMode
        self.source = source
        self.poolMax = poolMax
        self.acquireTimeout = acquireTimeout
        self.connectTimeout = connectTimeout
    }

    public init(environment env: EnvironmentReader) throws(ConfigurationError) {
        let poolMax = try env.int("DB_POOL_MAX", default: 5, range: 1...200)
        let acquire = try env.milliseconds("DB_ACQUIRE_TIMEOUT_MS", default: .seconds(5), range: 1...120_000)
        let connect = try env.milliseconds("DB_CONNECT_TIMEOUT_MS", default: .seconds(5), range: 1...120_000)
        if let raw = env.string("DATABASE_URL") {
            self = try Self.parse(url: raw)
        } else if env.string("K_SERVICE") != nil, env.string("ALLOYDB_HOST") != nil {
            self.init(
                host: try env.required("ALLOYDB_HOST"),
                port: try env.int("ALLOYDB_PORT", default: 5432, range: 1...65535),
                database: try env.required("ALLOYDB_DB", because: "is required on Cloud Run when ALLOYDB_HOST is set"),
                username: try env.required("ALLOYDB_USER", because: "is required on Cloud Run when ALLOYDB_HOST is set"),
                password: env.string("ALLOYDB_PASSWORD"),
                sslMode: try Self.sslMode(env, "DB_SSLMODE", default: .require),
                source: .alloyDB
            )
        } else if let host = env.string("DB_HOST") {
            self.init(
                host: host,
                port: try env.int("DB_PORT", default: 5432, range: 1...65535),
                database: try env.required("DB_NAME", because: "is required when DB_HOST is set"),
                username: try env.required("DB_USER", because: "is required when DB_HOST is set"),
                password: env.string("DB_PASSWORD"),
                sslMode: try Self.sslMode(env, "DB_SSLMODE", default: .prefer),
                source: .dbVariables
            )
        } else {
            let hint = env.string("K_SERVICE") != nil ? "(or ALLOYDB_HOST, or DB_HOST)" : "(or DB_HOST with DB_NAME, DB_USER)"
            throw ConfigurationError("DATABASE_URL", "is not set \(hint)")
        }
        self.poolMax = poolMax
        self.acquireTimeout = acquire
        self.connectTimeout = connect
    }

    private static func sslMode(
        _ env: EnvironmentReader, _ name: String, default defaultValue: SSLMode
    ) throws(ConfigurationError) -> SSLMode {
        let raw = try env.oneOf(name, SSLMode.allCases.map(\.rawValue), default: defaultValue.rawValue)
        return SSLMode(rawValue: raw) ?? defaultValue
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=…` (also `postgresql://`).
    static func parse(url raw: String) throws(ConfigurationError) -> DatabaseSettings {
        let name = "DATABASE_URL"
        guard let components = URLComponents(string: raw), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw ConfigurationError(name, "must look like postgres://user:password@host:5432/database")
        }
        guard let host = components.host, !host.isEmpty else { throw ConfigurationError(name, "has no host") }
        guard let user = components.user, !user.isEmpty else { throw ConfigurationError(name, "has no user name") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw ConfigurationError(name, "has no database name") }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                throw ConfigurationError(name, "has an unknown sslmode (use disable, prefer, require, verify-ca or verify-full)")
            }
            sslMode = mode
        }
        return DatabaseSettings(
            host: host, port: components.port ?? 5432, database: database,
            username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            sslMode: sslMode, source: .databaseURL
        )
    }
}

public import ApexProtocol
public import Foundation
public import Logging

/// The settings every ApexFlow service reads, whatever it does.
///
/// Built once from the environment in `main`; tests build it from a dictionary. Production
/// guards live here: on Cloud Run (`K_SERVICE` set) insecure settings stop start-up.
public struct ServiceSettings: Sendable {
    public var service: ServiceName
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    /// `AUTH_DISABLED=1`: local development only; refused on Cloud Run.
    public var authDisabled: Bool
    /// The HS256 key of internal identity tokens (`INTERNAL_AUTH_SECRET`).
    public var internalAuthSecret: String
    /// True when the secret was generated because none was configured (development only).
    public var internalAuthSecretGenerated: Bool
    /// `INTERNAL_AUTH_SECRET_PREVIOUS`: also accepted when verifying, while a rotation is under way.
    public var previousInternalAuthSecret: String?
    /// Set on Cloud Run (`K_SERVICE`): the process is in production.
    public var cloudRunService: String?
    public var migrateOnStart: Bool
    public var maxBodyBytes: Int
    public var tls: TLSFiles?
    public var database: DatabaseSettings
    /// Bearer token required on `/metrics` when set (`METRICS_TOKEN`).
    public var metricsToken: String?
    /// How long SIGTERM waits for in-flight work (Cloud Run gives 10 s).
    public var shutdownGracePeriod: Duration

    public struct TLSFiles: Sendable, Equatable {
        public var certificateFile: String
        public var keyFile: String
    }

    public var isProduction: Bool { cloudRunService != nil }

    public init(service: ServiceName, environment env: EnvironmentReader, defaultPort: Int = 8080) throws(ConfigurationError) {
        self.service = service
        self.cloudRunService = env.string("K_SERVICE")
        self.host = env.string("HOST", default: "0.0.0.0")
        self.port = try env.int("PORT", default: defaultPort, range: 0...65535)
        let level = try env.oneOf("LOG_LEVEL", Logger.Level.allCases.map(\.rawValue), default: "info")
        self.logLevel = Logger.Level(rawValue: level) ?? .info
        self.authDisabled = try env.bool("AUTH_DISABLED", default: false)
        if authDisabled, cloudRunService != nil {
            throw ConfigurationError("AUTH_DISABLED", "must not be set on Cloud Run (K_SERVICE is set): it disables authentication")
        }
        if let secret = env.string("INTERNAL_AUTH_SECRET") {
            if cloudRunService != nil, secret.utf8.count < 32 {
                throw ConfigurationError("INTERNAL_AUTH_SECRET", "must be at least 32 bytes in production")
            }
            self.internalAuthSecret = secret
            self.internalAuthSecretGenerated = false
        } else if cloudRunService != nil {
            throw ConfigurationError("INTERNAL_AUTH_SECRET", "is required on Cloud Run (K_SERVICE is set)")
        } else {
            self.internalAuthSecret = Self.randomSecret()
            self.internalAuthSecretGenerated = true
        }
        self.previousInternalAuthSecret = env.string("INTERNAL_AUTH_SECRET_PREVIOUS")
        if cloudRunService != nil, let previous = previousInternalAuthSecret, previous.utf8.count < 32 {
            throw ConfigurationError("INTERNAL_AUTH_SECRET_PREVIOUS", "must be at least 32 bytes in production")
        }
        self.migrateOnStart = try env.bool("MIGRATE_ON_START", default: true)
        self.maxBodyBytes = try env.int("MAX_BODY_BYTES", default: 10 * 1024 * 1024, range: 1024...(1 << 30))
        switch (env.string("TLS_CERT_FILE"), env.string("TLS_KEY_FILE")) {
        case (nil, nil): self.tls = nil
        case (let cert?, let key?): self.tls = TLSFiles(certificateFile: cert, keyFile: key)
        case (nil, _): throw ConfigurationError("TLS_CERT_FILE", "is required when TLS_KEY_FILE is set")
        case (_, nil): throw ConfigurationError("TLS_KEY_FILE", "is required when TLS_CERT_FILE is set")
        }
        self.database = try DatabaseSettings(environment: env)
        self.metricsToken = env.string("METRICS_TOKEN")
        self.shutdownGracePeriod = try env.milliseconds("SHUTDOWN_GRACE_MS", default: .seconds(8), range: 0...60_000)
    }

    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

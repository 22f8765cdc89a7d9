public import Foundation
public import ServiceKit

/// The settings of apex-gateway: the common ones, authentication, upstreams, CORS, rate limits.
public struct GatewaySettings: ServiceConfiguration {
    public var common: ServiceSettings
    /// `FIREBASE_PROJECT_ID`: the expected `aud` and the `iss` suffix of ID tokens.
    public var firebaseProjectID: String?
    /// `AUTH_JWKS_URL`: Google's key set for Firebase ID tokens.
    public var jwksURL: URL
    /// `AUTH_JWKS_FILE`: a key set read from a file instead (offline use and tests).
    public var jwksFile: String?
    /// `AUTH_JWKS_MIN_REFETCH_SECONDS`: an unknown `kid` refetches the key set at most this often.
    public var jwksMinimumRefetch: Duration
    public var ragURL: URL
    public var memoryURL: URL
    public var schedulerURL: URL
    /// `UPSTREAM_TIMEOUT_MS`: the deadline of one proxied call (504 after it).
    public var upstreamTimeout: Duration
    /// `CONTEXT_TIMEOUT_MS`: the one deadline of both searches of `/api/v1/context`.
    public var contextTimeout: Duration
    /// `CORS_ORIGINS`: exact origins allowed to call from a browser (comma-separated).
    public var corsOrigins: [String]
    /// `RATE_LIMIT_RPS` / `RATE_LIMIT_BURST`: the token bucket of each user.
    public var rateLimitPerSecond: Double
    public var rateLimitBurst: Double
    /// `RATE_LIMIT_ANON_RPS` / `RATE_LIMIT_ANON_BURST`: per client IP, for requests without a valid token.
    public var anonymousRatePerSecond: Double
    public var anonymousBurst: Double
    /// `BREAKER_FAILURES` consecutive failures open an upstream's circuit for `BREAKER_COOLDOWN_MS`.
    public var breakerFailures: Int
    public var breakerCooldown: Duration
    /// `AUDIT_BUFFER`: security events waiting to be written; beyond it they are dropped and counted.
    public var auditBuffer: Int
    /// `SECURITY_LOG_RETENTION_DAYS`.
    public var securityLogRetentionDays: Int

    public init(environment env: EnvironmentReader) throws(ConfigurationError) {
        self.common = try ServiceSettings(service: .gateway, environment: env, defaultPort: 8080)
        self.firebaseProjectID = env.string("FIREBASE_PROJECT_ID")
        self.jwksURL =
            try env.httpURL("AUTH_JWKS_URL")
            ?? URL(string: "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com")!
        self.jwksFile = env.string("AUTH_JWKS_FILE")
        self.jwksMinimumRefetch = .seconds(try env.int("AUTH_JWKS_MIN_REFETCH_SECONDS", default: 60, range: 0...86_400))
        if !common.authDisabled, firebaseProjectID == nil {
            throw ConfigurationError("FIREBASE_PROJECT_ID", "is required unless AUTH_DISABLED=1")
        }
        func upstream(_ name: String) throws(ConfigurationError) -> URL {
            guard let url = try env.httpURL(name) else { throw ConfigurationError(name, "is required (e.g. http://127.0.0.1:8081)") }
            return url
        }
        self.ragURL = try upstream("RAG_URL")
        self.memoryURL = try upstream("MEMORY_URL")
        self.schedulerURL = try upstream("SCHEDULER_URL")
        self.upstreamTimeout = try env.milliseconds("UPSTREAM_TIMEOUT_MS", default: .seconds(10), range: 10...600_000)
        self.contextTimeout = try env.milliseconds("CONTEXT_TIMEOUT_MS", default: .seconds(5), range: 10...600_000)
        self.corsOrigins = (env.string("CORS_ORIGINS") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        // `*` lets every origin call with credentials: development only. Not on Cloud Run, and not
        // wherever users are authenticated (a Kubernetes production has no K_SERVICE to tell).
        if corsOrigins.contains("*"), common.isProduction || !common.authDisabled {
            throw ConfigurationError(
                "CORS_ORIGINS",
                common.isProduction
                    ? "must list exact origins in production, not *"
                    : "* is for development only (with AUTH_DISABLED=1): list exact origins")
        }
        self.rateLimitPerSecond = try env.double("RATE_LIMIT_RPS", default: 20, range: 0.01...1_000_000)
        self.rateLimitBurst = try env.double("RATE_LIMIT_BURST", default: 40, range: 1...1_000_000)
        self.anonymousRatePerSecond = try env.double("RATE_LIMIT_ANON_RPS", default: 5, range: 0.01...1_000_000)
        self.anonymousBurst = try env.double("RATE_LIMIT_ANON_BURST", default: 10, range: 1...1_000_000)
        self.breakerFailures = try env.int("BREAKER_FAILURES", default: 5, range: 1...1000)
        self.breakerCooldown = try env.milliseconds("BREAKER_COOLDOWN_MS", default: .seconds(5), range: 10...600_000)
        self.auditBuffer = try env.int("AUDIT_BUFFER", default: 10_000, range: 1...10_000_000)
        self.securityLogRetentionDays = try env.int("SECURITY_LOG_RETENTION_DAYS", default: 90, range: 1...36_500)
    }
}

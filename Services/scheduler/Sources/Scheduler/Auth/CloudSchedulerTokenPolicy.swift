public import Foundation

/// Which Google OIDC ID tokens `/internal/tick` accepts: Cloud Scheduler's, minted for the
/// configured audience (the tick URL) as the configured service account.
public struct CloudSchedulerTokenPolicy: Sendable, Equatable {
    public enum KeySource: Sendable, Equatable {
        case url(URL)
        case file(String)
    }

    /// Google's published OIDC signing keys (JWKS).
    public static let googleCertificates = URL(string: "https://www.googleapis.com/oauth2/v3/certs")!

    public var audience: String
    public var serviceAccount: String
    public var keys: KeySource

    public init(audience: String, serviceAccount: String, keys: KeySource = .url(Self.googleCertificates)) {
        self.audience = audience
        self.serviceAccount = serviceAccount
        self.keys = keys
    }
}

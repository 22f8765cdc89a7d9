import Foundation
import ServiceKit

/// Verifies the OIDC ID token Cloud Scheduler sends to `/internal/tick`.
///
/// The signature as ``RS256Token`` checks it (RS256 only, the key from Google's JWKS by `kid`);
/// `iss` is Google's; `aud` is the configured audience; `email` is the configured
/// service account and verified; `exp` in the future and `iat` in the past with 60 s leeway.
struct CloudSchedulerTokenVerifier: Sendable {
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// The token's shape, algorithm, key or signature (``RS256Token``).
        case signature(RS256Token.Failure)
        case malformedClaims, wrongIssuer, wrongAudience, wrongAccount, expired, issuedInFuture

        var description: String {
            switch self {
            case .signature(let failure): failure.description
            case .malformedClaims: "malformed token"
            case .wrongIssuer: "token was not issued by Google"
            case .wrongAudience: "token audience is not TICK_OIDC_AUDIENCE"
            case .wrongAccount: "token is not for TICK_OIDC_SERVICE_ACCOUNT (or its email is unverified)"
            case .expired: "token expired"
            case .issuedInFuture: "token issued in the future"
            }
        }
    }

    static let issuers: Set<String> = ["https://accounts.google.com", "accounts.google.com"]
    let policy: CloudSchedulerTokenPolicy
    let keys: JWKSCache
    let leeway: Int64 = 60

    func verify(_ token: String, now: Date = Date()) async throws(Failure) {
        let payload: Data
        do { payload = try await RS256Token.verifiedPayload(token, keys: keys) } catch { throw .signature(error) }
        guard let claims = try? JSONDecoder().decode(GoogleIDTokenClaims.self, from: payload) else { throw .malformedClaims }
        let current = Int64(now.timeIntervalSince1970)
        guard Self.issuers.contains(claims.iss) else { throw .wrongIssuer }
        guard claims.aud == policy.audience else { throw .wrongAudience }
        guard claims.email?.lowercased() == policy.serviceAccount.lowercased(), claims.emailVerified == true else { throw .wrongAccount }
        guard claims.exp > current - leeway else { throw .expired }
        guard claims.iat <= current + leeway else { throw .issuedInFuture }
    }
}

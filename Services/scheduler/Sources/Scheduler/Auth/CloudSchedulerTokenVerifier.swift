import Crypto
import Foundation
import ServiceKit
@preconcurrency import _CryptoExtras

/// Verifies the OIDC ID token Cloud Scheduler sends to `/internal/tick`.
///
/// RS256 only (the header's `alg` never picks another algorithm); the key comes from Google's
/// JWKS by `kid`; `iss` is Google's; `aud` is the configured audience; `email` is the configured
/// service account and verified; `exp` in the future and `iat` in the past with 60 s leeway.
struct CloudSchedulerTokenVerifier: Sendable {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed, unsupportedAlgorithm, unknownKey, badSignature, wrongIssuer, wrongAudience, wrongAccount, expired, issuedInFuture

        var description: String {
            switch self {
            case .malformed: "malformed token"
            case .unsupportedAlgorithm: "token algorithm must be RS256"
            case .unknownKey: "token signed with an unknown key"
            case .badSignature: "token signature does not verify"
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
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode([String: String].self, from: headerData)
        else { throw .malformed }
        guard header["alg"] == "RS256" else { throw .unsupportedAlgorithm }
        guard let kid = header["kid"], let key = await keys.key(for: kid) else { throw .unknownKey }
        guard let signature = Base64URL.decode(parts[2]) else { throw .malformed }
        let signingInput = Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard
            key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5)
        else { throw .badSignature }
        guard let payload = Base64URL.decode(parts[1]), let claims = try? JSONDecoder().decode(GoogleIDTokenClaims.self, from: payload)
        else { throw .malformed }
        let current = Int64(now.timeIntervalSince1970)
        guard Self.issuers.contains(claims.iss) else { throw .wrongIssuer }
        guard claims.aud == policy.audience else { throw .wrongAudience }
        guard claims.email?.lowercased() == policy.serviceAccount.lowercased(), claims.emailVerified == true else { throw .wrongAccount }
        guard claims.exp > current - leeway else { throw .expired }
        guard claims.iat <= current + leeway else { throw .issuedInFuture }
    }
}

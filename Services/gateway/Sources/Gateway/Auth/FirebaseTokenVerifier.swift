import Foundation
import ServiceKit

/// Verifies Firebase ID tokens exactly as Firebase documents it.
///
/// The signature as ``RS256Token`` checks it (RS256 only: no `none`, no HS256 keyed with the
/// public key; the key from Google's JWKS by `kid`);
/// `iss = https://securetoken.google.com/<project>`, `aud = <project>`, `exp` in the future and
/// `iat`/`auth_time` in the past with 60 s leeway; the non-empty `sub` is the user id.
struct FirebaseTokenVerifier: Sendable {
    let projectID: String
    let keys: JWKSCache
    let leeway: Int64 = 60
    /// Tokens already verified, until they expire: a client sends the same ID token for up to an
    /// hour, and the RSA check plus JSON parsing was about half of a proxied request's CPU.
    let verified = VerifiedTokenCache<AuthenticatedUser>()

    func verify(_ token: String, now: Date = Date()) async throws(TokenFailure) -> AuthenticatedUser {
        if let user = alreadyVerified(token, now: now) { return user }
        let (user, expires) = try await verifyUncached(token, now: now)
        verified.store(user, for: token, expires: expires)
        return user
    }

    /// The user of a token verified earlier and not yet expired; nil for any other token.
    func alreadyVerified(_ token: String, now: Date = Date()) -> AuthenticatedUser? {
        verified.value(for: token, now: Int64(now.timeIntervalSince1970), leeway: leeway)
    }

    private func verifyUncached(_ token: String, now: Date) async throws(TokenFailure) -> (AuthenticatedUser, Int64) {
        let payload: Data
        do {
            payload = try await RS256Token.verifiedPayload(token, keys: keys)
        } catch {
            switch error {
            case .malformed: throw .malformed
            case .unsupportedAlgorithm: throw .unsupportedAlgorithm
            case .unknownKey: throw .unknownKey
            case .badSignature: throw .badSignature
            }
        }
        guard let claims = try? JSONDecoder().decode(FirebaseClaims.self, from: payload) else { throw .malformed }
        let current = Int64(now.timeIntervalSince1970)
        guard claims.iss == "https://securetoken.google.com/\(projectID)" else { throw .wrongIssuer }
        guard claims.aud == projectID else { throw .wrongAudience }
        guard claims.exp > current - leeway else { throw .expired }
        guard claims.iat <= current + leeway, (claims.authTime ?? claims.iat) <= current + leeway else { throw .issuedInFuture }
        guard !claims.sub.isEmpty, claims.sub.count <= 128 else { throw .missingSubject }
        // `system` names work done on no user's behalf inside the platform (internal identity):
        // a user by that uid would be refused by every backend, so the gateway refuses it here.
        guard claims.sub != InternalIdentityClaims.systemSubject else { throw .reservedSubject }
        return (AuthenticatedUser(id: claims.sub, email: claims.email, method: .firebase), claims.exp)
    }
}

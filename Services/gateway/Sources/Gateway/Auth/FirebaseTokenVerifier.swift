import Crypto
import Foundation
import ServiceKit
@preconcurrency import _CryptoExtras

/// Verifies Firebase ID tokens exactly as Firebase documents it.
///
/// RS256 only (the header's `alg` is never trusted to pick another algorithm — no `none`, no
/// HS256 keyed with the public key); the key comes from Google's JWKS by `kid`;
/// `iss = https://securetoken.google.com/<project>`, `aud = <project>`, `exp` in the future and
/// `iat`/`auth_time` in the past with 60 s leeway; the non-empty `sub` is the user id.
struct FirebaseTokenVerifier: Sendable {
    let projectID: String
    let keys: JWKSCache
    let leeway: Int64 = 60
    /// Tokens already verified, until they expire: a client sends the same ID token for up to an
    /// hour, and the RSA check plus JSON parsing was about half of a proxied request's CPU.
    let verified = VerifiedTokenCache()

    func verify(_ token: String, now: Date = Date()) async throws(TokenFailure) -> AuthenticatedUser {
        let current = Int64(now.timeIntervalSince1970)
        if let user = verified.user(for: token, now: current, leeway: leeway) { return user }
        let (user, expires) = try await verifyUncached(token, now: now)
        verified.store(user, for: token, expires: expires)
        return user
    }

    private func verifyUncached(_ token: String, now: Date) async throws(TokenFailure) -> (AuthenticatedUser, Int64) {
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
        guard let payload = Base64URL.decode(parts[1]), let claims = try? JSONDecoder().decode(FirebaseClaims.self, from: payload)
        else { throw .malformed }
        let current = Int64(now.timeIntervalSince1970)
        guard claims.iss == "https://securetoken.google.com/\(projectID)" else { throw .wrongIssuer }
        guard claims.aud == projectID else { throw .wrongAudience }
        guard claims.exp > current - leeway else { throw .expired }
        guard claims.iat <= current + leeway, (claims.authTime ?? claims.iat) <= current + leeway else { throw .issuedInFuture }
        guard !claims.sub.isEmpty, claims.sub.count <= 128 else { throw .missingSubject }
        return (AuthenticatedUser(id: claims.sub, email: claims.email, method: .firebase), claims.exp)
    }
}

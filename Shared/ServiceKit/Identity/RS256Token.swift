import Crypto
public import Foundation
@preconcurrency import _CryptoExtras

/// The part of verifying a Google-signed ID token that does not depend on whose token it is:
/// the compact JWT's shape, `alg` RS256 only (the header never picks another algorithm — no
/// `none`, no HS256 keyed with the public key), the key by `kid` from a ``JWKSCache``, and the
/// PKCS#1 v1.5 signature. The gateway's Firebase check and the scheduler's Cloud Scheduler
/// check then read their own claims from the payload it returns.
public enum RS256Token {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed, unsupportedAlgorithm, unknownKey, badSignature

        public var description: String {
            switch self {
            case .malformed: "malformed token"
            case .unsupportedAlgorithm: "token algorithm must be RS256"
            case .unknownKey: "token signed with an unknown key"
            case .badSignature: "token signature does not verify"
            }
        }
    }

    /// The token's payload (the claims' JSON), once its signature verifies.
    public static func verifiedPayload(_ token: String, keys: JWKSCache) async throws(Failure) -> Data {
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
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: signingInput),
                padding: .insecurePKCS1v1_5)
        else { throw .badSignature }
        guard let payload = Base64URL.decode(parts[1]) else { throw .malformed }
        return payload
    }
}

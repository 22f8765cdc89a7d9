public import Foundation
@preconcurrency public import _CryptoExtras

/// The RSA public keys of a JWKS document, by `kid` (Firebase ID tokens at the gateway, Google
/// OIDC tokens of Cloud Scheduler at the scheduler).
public struct JSONWebKeySet: Sendable {
    public let keys: [String: _RSA.Signing.PublicKey]

    private struct Document: Decodable {
        struct Key: Decodable {
            var kid: String?
            var kty: String
            var alg: String?
            var use: String?
            var n: String?
            var e: String?
        }
        var keys: [Key]
    }

    /// Parses a JWKS; keys that are not RSA signing keys are skipped.
    public init(json data: Data) throws {
        let document = try JSONDecoder().decode(Document.self, from: data)
        var keys: [String: _RSA.Signing.PublicKey] = [:]
        for key in document.keys where key.kty == "RSA" && (key.use ?? "sig") == "sig" && (key.alg ?? "RS256") == "RS256" {
            guard let kid = key.kid, let n = key.n.flatMap({ Base64URL.decode($0) }), let e = key.e.flatMap({ Base64URL.decode($0) })
            else { continue }
            keys[kid] = try _RSA.Signing.PublicKey(n: n, e: e)
        }
        self.keys = keys
    }

    public init(keys: [String: _RSA.Signing.PublicKey]) {
        self.keys = keys
    }
}

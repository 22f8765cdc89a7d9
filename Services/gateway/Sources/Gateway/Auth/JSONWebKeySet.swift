@preconcurrency import _CryptoExtras
import Foundation

/// The RSA public keys of a JWKS document, by `kid`.
struct JSONWebKeySet: Sendable {
    let keys: [String: _RSA.Signing.PublicKey]

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
    init(json data: Data) throws {
        let document = try JSONDecoder().decode(Document.self, from: data)
        var keys: [String: _RSA.Signing.PublicKey] = [:]
        for key in document.keys where key.kty == "RSA" && (key.use ?? "sig") == "sig" && (key.alg ?? "RS256") == "RS256" {
            guard let kid = key.kid, let n = key.n.flatMap(Base64URLDecoding.decode), let e = key.e.flatMap(Base64URLDecoding.decode)
            else { continue }
            keys[kid] = try _RSA.Signing.PublicKey(n: n, e: e)
        }
        self.keys = keys
    }

    init(keys: [String: _RSA.Signing.PublicKey]) {
        self.keys = keys
    }
}

/// Unpadded base64url, as JWTs and JWKS use it.
enum Base64URLDecoding {
    static func decode(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        switch base64.count % 4 {
        case 2: base64 += "=="
        case 3: base64 += "="
        case 1: return nil
        default: break
        }
        return Data(base64Encoded: base64)
    }
}

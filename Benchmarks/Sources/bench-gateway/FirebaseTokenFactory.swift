import Crypto
import Foundation
@preconcurrency import _CryptoExtras

/// Mints Firebase-shaped RS256 ID tokens with a throwaway RSA key, and the JWKS that publishes it.
/// Copied from the test support's `FirebaseTokenFactory` (benchmarks do not import test targets).
struct FirebaseTokenFactory: Sendable {
    let projectID: String
    let kid: String
    let key: _RSA.Signing.PrivateKey

    init(projectID: String, kid: String) throws {
        self.projectID = projectID
        self.kid = kid
        self.key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    }

    static func jwks(_ factories: [FirebaseTokenFactory]) throws -> Data {
        let keys = try factories.map { factory -> [String: String] in
            let primitives = try factory.key.publicKey.getKeyPrimitives()
            return [
                "kty": "RSA", "alg": "RS256", "use": "sig", "kid": factory.kid, "n": b64(primitives.modulus),
                "e": b64(primitives.publicExponent),
            ]
        }
        return try JSONSerialization.data(withJSONObject: ["keys": keys])
    }

    func token(sub: String, email: String?, issuedAt: Date = Date(), expires: Date? = nil) throws -> String {
        let header = ["alg": "RS256", "kid": kid, "typ": "JWT"]
        var claims: [String: Any] = [
            "iss": "https://securetoken.google.com/\(projectID)", "aud": projectID, "sub": sub,
            "iat": Int(issuedAt.timeIntervalSince1970), "auth_time": Int(issuedAt.timeIntervalSince1970),
            "exp": Int((expires ?? issuedAt.addingTimeInterval(3600)).timeIntervalSince1970),
        ]
        if let email { claims["email"] = email }
        let input =
            Self.b64(try JSONSerialization.data(withJSONObject: header)) + "."
            + Self.b64(try JSONSerialization.data(withJSONObject: claims))
        let signature = try key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + Self.b64(signature.rawRepresentation)
    }

    static func b64(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
            of: "=", with: "")
    }
}

import Crypto
public import Foundation
@preconcurrency public import _CryptoExtras

/// Mints Firebase-shaped ID tokens with test RSA keys, and the JWKS that publishes them.
public struct FirebaseTokenFactory: Sendable {
    public let projectID: String
    public let kid: String
    public let key: _RSA.Signing.PrivateKey

    public init(projectID: String = "apex-test", kid: String = "key-1") throws {
        self.projectID = projectID
        self.kid = kid
        self.key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    }

    public static func jwks(_ factories: [FirebaseTokenFactory]) throws -> Data {
        let keys = try factories.map { factory -> [String: String] in
            let primitives = try factory.key.publicKey.getKeyPrimitives()
            return [
                "kty": "RSA", "alg": "RS256", "use": "sig", "kid": factory.kid, "n": b64(primitives.modulus),
                "e": b64(primitives.publicExponent),
            ]
        }
        return try JSONSerialization.data(withJSONObject: ["keys": keys])
    }

    public func token(
        sub: String = "alice", email: String? = "alice@example.com", issuer: String? = nil, audience: String? = nil,
        issuedAt: Date = Date(), expires: Date? = nil, alg: String = "RS256", kid: String? = nil
    ) throws -> String {
        let header = ["alg": alg, "kid": kid ?? self.kid, "typ": "JWT"]
        var claims: [String: Any] = [
            "iss": issuer ?? "https://securetoken.google.com/\(projectID)", "aud": audience ?? projectID, "sub": sub,
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

    /// An HS256 token whose HMAC key is the RSA public key's DER — the classic algorithm-confusion forgery.
    public func hs256Forgery(sub: String = "alice") throws -> String {
        let header = Self.b64(Data(#"{"alg":"HS256","kid":"\#(kid)","typ":"JWT"}"#.utf8))
        let now = Int(Date().timeIntervalSince1970)
        let claims = Self.b64(
            Data(
                #"{"iss":"https://securetoken.google.com/\#(projectID)","aud":"\#(projectID)","sub":"\#(sub)","iat":\#(now),"exp":\#(now + 600)}"#
                    .utf8))
        let input = header + "." + claims
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: key.publicKey.derRepresentation))
        return input + "." + Self.b64(Data(mac))
    }

    public static func b64(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
            of: "=", with: "")
    }
}

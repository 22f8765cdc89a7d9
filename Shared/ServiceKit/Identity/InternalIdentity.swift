public import ApexProtocol
@preconcurrency import Crypto
public import Foundation

/// Mints and verifies internal identity tokens: compact JWTs, HS256 with `INTERNAL_AUTH_SECRET`.
///
/// Only the gateway (for users) and the scheduler (for job owners and `system`) mint them; the
/// backends verify them on every `/api/v1` and `/internal` request. Verification accepts exactly
/// one header shape (`alg` HS256), checks the MAC in constant time, then `aud`, `exp`, `iat` and
/// a lifetime of at most 60 s.
///
/// Rotation without downtime: a process may also hold the *previous* secret
/// (`INTERNAL_AUTH_SECRET_PREVIOUS`), which it accepts when verifying but never mints with, so
/// replicas on either side of a secret change keep understanding each other
/// (docs/operations.md has the three-step procedure).
public struct InternalIdentity: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed, badSignature, unsupportedAlgorithm, wrongAudience, expired, notYetValid, lifetimeTooLong, missingSubject,
            unknownIssuer
        public var description: String {
            switch self {
            case .malformed: "malformed token"
            case .badSignature: "signature does not verify"
            case .unsupportedAlgorithm: "algorithm must be HS256"
            case .wrongAudience: "token is for another service"
            case .expired: "token expired"
            case .notYetValid: "token issued in the future"
            case .lifetimeTooLong: "token lifetime exceeds 60 s"
            case .missingSubject: "token has no subject"
            case .unknownIssuer: "token issuer is not an ApexFlow service"
            }
        }
    }

    public static let maximumLifetime: Int64 = 60
    /// Clock skew tolerated between replicas.
    static let leeway: Int64 = 5

    private let key: SymmetricKey
    /// Accepted when verifying, never used to mint.
    private let previousKey: SymmetricKey?
    /// The service this process is: the issuer of what it mints, the audience of what it accepts.
    public let service: ServiceName
    /// Tokens that verified, with their claims: callers reuse a minted token for 10 s.
    let verified = VerifiedTokenCache<InternalIdentityClaims>(capacity: 10_000)

    public init(secret: String, previousSecret: String? = nil, service: ServiceName) {
        self.key = SymmetricKey(data: Data(secret.utf8))
        self.previousKey = previousSecret.map { SymmetricKey(data: Data($0.utf8)) }
        self.service = service
    }

    /// A token for calling `audience` on behalf of `subject` (a user id, or `system`).
    public func mint(for subject: String, audience: ServiceName, lifetime: Int64 = 30, now: Date = Date()) -> String {
        let issued = Int64(now.timeIntervalSince1970)
        let claims = InternalIdentityClaims(
            iss: service.rawValue, aud: audience.rawValue, sub: subject, iat: issued, exp: issued + min(lifetime, Self.maximumLifetime))
        let payload = (try? JSONEncoder().encode(claims)) ?? Data()
        let signingInput = Self.header + "." + Base64URL.encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)
        return signingInput + "." + Base64URL.encode(Data(mac))
    }

    /// Verifies a token addressed to this service.
    ///
    /// A token that verified before is answered from ``VerifiedTokenCache`` until its `exp`
    /// (the same leeway applies); only its expiry is checked again, since nothing else in a
    /// token that verified can change.
    public func verify(_ token: String, now: Date = Date()) throws(Failure) -> InternalIdentityClaims {
        let current = Int64(now.timeIntervalSince1970)
        if let claims = verified.value(for: token, now: current, leeway: Self.leeway) { return claims }
        let claims = try verifyUncached(token, current: current)
        verified.store(claims, for: token, expires: claims.exp)
        return claims
    }

    private func verifyUncached(_ token: String, current: Int64) throws(Failure) -> InternalIdentityClaims {
        // Split on the bytes: splitting the String by Character costs more than the HMAC.
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map(Substring.init)
        guard parts.count == 3 else { throw .malformed }
        // The header every ApexFlow service mints needs no JSON decoding; any other is read.
        if parts[0] != Self.header {
            guard let headerData = Base64URL.decode(parts[0]),
                let header = try? JSONDecoder().decode([String: String].self, from: headerData)
            else { throw .malformed }
            guard header["alg"] == "HS256" else { throw .unsupportedAlgorithm }
        }
        guard let signature = Base64URL.decode(parts[2]) else { throw .malformed }
        let signingInput = Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: key)
                || previousKey.map({ HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: $0) }) == true
        else { throw .badSignature }
        guard let payload = Base64URL.decode(parts[1]),
            let claims = try? JSONDecoder().decode(InternalIdentityClaims.self, from: payload)
        else { throw .malformed }
        guard claims.aud == service.rawValue else { throw .wrongAudience }
        guard ServiceName(rawValue: claims.iss) != nil else { throw .unknownIssuer }
        guard claims.exp > current - Self.leeway else { throw .expired }
        guard claims.iat <= current + Self.leeway else { throw .notYetValid }
        guard claims.exp - claims.iat <= Self.maximumLifetime else { throw .lifetimeTooLong }
        guard !claims.sub.isEmpty else { throw .missingSubject }
        return claims
    }

    /// `{"alg":"HS256","typ":"JWT"}`, encoded once.
    private static let header = Base64URL.encode(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
}

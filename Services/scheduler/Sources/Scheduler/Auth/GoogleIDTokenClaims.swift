/// The claims of a Google-signed OIDC ID token that the tick checks.
struct GoogleIDTokenClaims: Decodable, Sendable {
    var iss: String
    var aud: String
    var sub: String?
    var exp: Int64
    var iat: Int64
    var email: String?
    var emailVerified: Bool?

    enum CodingKeys: String, CodingKey {
        case iss, aud, sub, exp, iat, email
        case emailVerified = "email_verified"
    }
}

/// The claims of a Firebase ID token that the gateway checks or uses.
struct FirebaseClaims: Decodable, Sendable {
    var iss: String
    var aud: String
    var sub: String
    var exp: Int64
    var iat: Int64
    var authTime: Int64?
    var email: String?

    enum CodingKeys: String, CodingKey {
        case iss, aud, sub, exp, iat, email
        case authTime = "auth_time"
    }
}

/// How the caller was authenticated: a verified Firebase ID token, or development mode
/// (`AUTH_DISABLED=1`, user `default`).
public enum AuthMode: String, ContractEnum {
    case firebase
    case disabled
}

/// `GET /api/v1/me`: who the gateway thinks the caller is.
public struct MeResponse: Sendable, Equatable, Codable {
    public var userID: String
    /// The token's `email` claim; `null` when the token has none (and in development mode).
    public var email: String?
    public var auth: AuthMode

    public init(userID: String, email: String?, auth: AuthMode) {
        self.userID = userID
        self.email = email
        self.auth = auth
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case email
        case auth
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userID, forKey: .userID)
        try container.encodeNullable(email, forKey: .email)
        try container.encode(auth, forKey: .auth)
    }
}

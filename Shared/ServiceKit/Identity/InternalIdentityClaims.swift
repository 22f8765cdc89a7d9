/// The claims of an `X-Apex-Identity` token: who calls (`iss`), whom (`aud`), for which user (`sub`).
public struct InternalIdentityClaims: Codable, Sendable, Equatable {
    /// The `sub` of calls made on no user's behalf (ticks, retention sweeps).
    public static let systemSubject = "system"

    public var iss: String
    public var aud: String
    public var sub: String
    public var iat: Int64
    public var exp: Int64

    public init(iss: String, aud: String, sub: String, iat: Int64, exp: Int64) {
        self.iss = iss
        self.aud = aud
        self.sub = sub
        self.iat = iat
        self.exp = exp
    }

    public var isSystem: Bool { sub == Self.systemSubject }
}

/// An end user as the public edge (the gateway) authenticated them.
public struct AuthenticatedUser: Sendable, Equatable {
    public enum Method: String, Sendable { case firebase, disabled }

    public var id: String
    public var email: String?
    public var method: Method

    public init(id: String, email: String?, method: Method) {
        self.id = id
        self.email = email
        self.method = method
    }

    /// The one user of a gateway started with `AUTH_DISABLED=1` (development only).
    public static let development = AuthenticatedUser(id: "default", email: nil, method: .disabled)
}

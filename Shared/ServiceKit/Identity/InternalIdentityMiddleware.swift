public import ApexProtocol
public import Hummingbird

/// Admits `/api/v1` and `/internal` requests only with a valid `X-Apex-Identity` token.
///
/// `/api/v1/*` acts for a user, so `sub = system` is refused there; `/internal/*` is system work,
/// so it accepts only `sub = system`. Health and metrics paths pass untouched.
public struct InternalIdentityMiddleware: RouterMiddleware {
    public typealias Context = ApexRequestContext
    let identity: InternalIdentity

    public init(identity: InternalIdentity) {
        self.identity = identity
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.routedPath(in: context)
        let isAPI = path.hasPrefix("/api/v1/") || path == "/api/v1"
        let isInternal = path.hasPrefix("/internal/")
        guard isAPI || isInternal else { return try await next(request, context) }

        guard let token = request.headers.value(of: .xApexIdentity) else {
            throw APIError(.unauthenticated, "missing \(HeaderName.apexIdentity) token", headers: Self.challenge)
        }
        let claims: InternalIdentityClaims
        do {
            claims = try identity.verify(token)
        } catch {
            throw APIError(.unauthenticated, "invalid \(HeaderName.apexIdentity) token: \(error)", headers: Self.challenge)
        }
        if isAPI, claims.isSystem {
            throw APIError(.forbidden, "system identities cannot call the user API")
        }
        if isInternal, !claims.isSystem {
            throw APIError(.forbidden, "internal endpoints accept only the system identity")
        }
        var context = context
        context.identity = claims
        context.logger[metadataKey: "user_id"] = .string(claims.sub)
        return try await next(request, context)
    }

    static let challenge: HTTPFields = [.wwwAuthenticate: #"Bearer realm="apexflow-internal""#]
}

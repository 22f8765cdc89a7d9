import ApexProtocol
import Hummingbird
import ServiceKit

/// Lets Cloud Scheduler call `POST /internal/tick` with its Google OIDC ID token.
///
/// Runs before the internal-identity check. A tick request that carries no `X-Apex-Identity`
/// but an `Authorization: Bearer` token is verified here; when the token is Cloud Scheduler's,
/// the request continues as the `system` identity (minted by this process for itself), so the
/// tick route and its logging see one kind of caller. A bad token is a 401 naming the fault.
/// Every other request passes untouched to the internal-identity check.
struct CloudSchedulerTickMiddleware: RouterMiddleware {
    typealias Context = ApexRequestContext
    let verifier: CloudSchedulerTokenVerifier
    let identity: InternalIdentity

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, request.routedPath(in: context) == "/internal/tick", request.headers[.xApexIdentity] == nil,
            let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ")
        else { return try await next(request, context) }
        do {
            try await verifier.verify(String(authorization.dropFirst("bearer ".count)))
        } catch {
            throw APIError(
                .unauthenticated, "invalid Cloud Scheduler token: \(error)", headers: [.wwwAuthenticate: #"Bearer realm="apexflow-tick""#])
        }
        var head = request.head
        head.headerFields[.xApexIdentity] = identity.mint(for: InternalIdentityClaims.systemSubject, audience: .scheduler)
        return try await next(Request(head: head, body: request.body), context)
    }
}

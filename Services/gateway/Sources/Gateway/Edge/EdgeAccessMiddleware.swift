import ApexProtocol
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// The gate of `/api/v1`: who is calling, and may they call again so soon.
///
/// First the user is authenticated (a Firebase ID token, or user `default` with
/// `AUTH_DISABLED=1`); then a token bucket is charged — the user's, or the client IP's when no
/// valid token came, so guessing tokens is rate limited too. Refusals are problems (401 with
/// `WWW-Authenticate: Bearer`, 429 with `Retry-After`) and security audit rows; every answer
/// carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.
struct EdgeAccessMiddleware: RouterMiddleware {
    typealias Context = ApexRequestContext
    let verifier: FirebaseTokenVerifier?
    let userLimits: TokenBucketLimiter
    let anonymousLimits: TokenBucketLimiter
    let audit: SecurityAuditLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.routedPath(in: context).hasPrefix("/api/v1/") else { return try await next(request, context) }
        var context = context
        var failure: TokenFailure?
        if let verifier {
            do {
                guard let header = request.headers.value(of: .authorization), let token = BearerCredentials.token(in: header) else {
                    throw TokenFailure.missing
                }
                context.authenticatedUser = try await verifier.verify(token)
            } catch let error as TokenFailure {
                failure = error
            } catch {
                failure = .malformed
            }
        } else {
            context.authenticatedUser = .development
        }

        let (limiter, key) =
            if let user = context.authenticatedUser { (userLimits, TokenBucketLimiter.key(for: user)) } else {
                (anonymousLimits, "ip:" + (context.clientAddress?.ipAddress ?? "unknown"))
            }
        let decision = limiter.take(key)
        let rateHeaders = limiter.headers(after: decision)
        guard decision.allowed else {
            audit.record(.rateLimited, request: request, context: context, status: 429, detail: key.hasPrefix("ip:") ? "client ip" : "user")
            var headers = rateHeaders
            headers[.retryAfter] = String(decision.retryAfter)
            throw APIError(.rateLimited, "too many requests; retry after \(decision.retryAfter) s", headers: headers)
        }
        if let failure {
            audit.record(.authFailed, request: request, context: context, status: 401, detail: failure.description)
            var headers = rateHeaders
            headers[.wwwAuthenticate] = #"Bearer realm="apexflow""#
            throw APIError(.unauthenticated, failure.description, headers: headers)
        }
        if let user = context.authenticatedUser { context.logger[metadataKey: "user_id"] = .string(user.id) }
        var response = try await next(request, context)
        for field in rateHeaders { response.headers[field.name] = field.value }
        return response
    }
}

import ApexProtocol
import HTTPTypes
import Hummingbird
import ServiceKit

/// Cross-origin access for browser frontends, from `CORS_ORIGINS` (exact origins; `*`, for
/// development only, allows every origin: `GatewaySettings` accepts it only with
/// `AUTH_DISABLED=1`).
///
/// An allowed origin gets `Access-Control-Allow-Origin: <origin>` (never `*`, because
/// credentials are allowed) and `Vary: Origin`; a preflight (`OPTIONS` with
/// `Access-Control-Request-Method`) is answered here with the allowed methods and headers. Any
/// other origin gets no CORS headers at all — the browser then blocks the response — and its
/// preflight is refused with 403 and an audit row.
struct CORSPolicy: RouterMiddleware {
    typealias Context = ApexRequestContext
    let allowedOrigins: Set<String>
    let audit: SecurityAuditLog

    static let allowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowedHeaders = "Authorization, Content-Type, X-Request-ID, traceparent"
    static let exposedHeaders = "X-Request-ID, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Location"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = allowedOrigins.contains(origin) || allowedOrigins.contains("*")
        let isPreflight = request.method == .options && request.headers[.accessControlRequestMethod] != nil
        if isPreflight {
            guard allowed else {
                audit.record(.corsRejected, request: request, context: context, status: 403, detail: String(origin.prefix(200)))
                throw APIError(.forbidden, "origin not allowed", headers: [.vary: "Origin"])
            }
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowMethods] = Self.allowedMethods
            response.headers[.accessControlAllowHeaders] = Self.allowedHeaders
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[.accessControlMaxAge] = "600"
            response.headers[.vary] = "Origin"
            return response
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ProblemResponse.make(for: error, request: request, context: context)
        }
        response.headers[.vary] = "Origin"
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
        return response
    }
}

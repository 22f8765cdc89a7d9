import HTTPTypes
import Hummingbird
import ServiceKit

/// Headers every gateway response carries: no MIME sniffing, no framing, no referrer, no caching
/// of API answers, and HSTS in production (Cloud Run terminates TLS in front of us).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ApexRequestContext
    let strictTransportSecurity: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ProblemResponse.make(for: error, request: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "no-referrer"
        if !response.headers.contains(.cacheControl) { response.headers[.cacheControl] = "no-store" }
        if strictTransportSecurity { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }
}

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
        Self.apply(to: &response.headers, strictTransportSecurity: strictTransportSecurity)
        return response
    }

    /// Adds the headers to an answer (also to those of ``ForwardingShortcut``).
    static func apply(to headers: inout HTTPFields, strictTransportSecurity: Bool) {
        headers[.xContentTypeOptions] = "nosniff"
        headers[.xFrameOptions] = "DENY"
        headers[.referrerPolicy] = "no-referrer"
        if !headers.contains(.cacheControl) { headers[.cacheControl] = "no-store" }
        if strictTransportSecurity { headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
    }
}

public import ApexProtocol
import Foundation
public import Hummingbird
public import Logging
import NIOCore
import PostgresNIO

/// Turns any error into an RFC 9457 problem response.
///
/// Only ``APIError`` (and Hummingbird's own HTTP errors) choose what the client reads; every other
/// error becomes a 500 or 503 whose detail says nothing about SQL, stack or configuration — the
/// real error goes to the log with the trace id, where the operator can find it.
public enum ProblemResponse {
    public static func make(for error: any Error, request: Request, context: ApexRequestContext, routes: RouteCatalog? = nil) -> Response {
        if error is CancellationError, Task.isCancelled {
            // The client went away (it reset its HTTP/2 stream, so the server cancelled this
            // task): nobody reads the answer. The access log and the metrics count it as nginx's
            // 499, not as a 5xx that would page someone for a caller's timeout.
            return Response(status: clientClosedRequest)
        }
        let apiError = classify(error, request: request, routes: routes)
        log(error, as: apiError, logger: context.logger)
        return response(apiError, traceID: context.trace.traceID)
    }

    /// What the client reads for `error` when no request decides it (no route to name): the
    /// classification ``make(for:request:context:routes:)`` makes, logged the same way. For
    /// answers built outside the router (``HTTPShortcut``).
    public static func apiError(for error: any Error, logger: Logger) -> APIError {
        let apiError = classify(error, request: nil, routes: nil)
        log(error, as: apiError, logger: logger)
        return apiError
    }

    /// A 5xx names the real error in the log, with the trace id; a refusal only at debug level.
    private static func log(_ error: any Error, as apiError: APIError, logger: Logger) {
        if apiError.code.status >= 500 {
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "status": "\(apiError.code.status)"])
        } else {
            logger.debug("request refused", metadata: ["error": "\(apiError)"])
        }
    }

    /// nginx's status for a request whose client closed it before the answer; never sent.
    static let clientClosedRequest = HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")

    public static func response(_ error: APIError, traceID: String) -> Response {
        let (head, body) = answer(error, traceID: traceID)
        return Response(status: head.status, headers: head.headerFields, body: .init(byteBuffer: body))
    }

    /// The problem's head and JSON body, for answers written without a `Response`.
    public static func answer(_ error: APIError, traceID: String) -> (head: HTTPResponse, body: ByteBuffer) {
        let problem = ProblemDetails(
            code: error.code, detail: error.detail, traceID: traceID,
            errors: error.errors.isEmpty ? nil : error.errors)
        let data = (try? ApexJSON.encode(problem)) ?? Data("{}".utf8)
        var headers = error.headers
        headers[.contentType] = ProblemDetails.mediaType
        headers[.contentLength] = String(data.count)
        return (HTTPResponse(status: HTTPResponse.Status(code: error.code.status), headerFields: headers), ByteBuffer(bytes: data))
    }

    static func classify(_ error: any Error, request: Request?, routes: RouteCatalog?) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as ValidationFailure:
            return APIError.invalid(error.errors)
        case let error as HTTPError:
            if error.status == .notFound, let request, let routes {
                let allowed = routes.allowedMethods(forPath: request.uri.path)
                if !allowed.isEmpty {
                    let allow = allowed.map(\.rawValue).joined(separator: ", ")
                    return APIError(
                        .methodNotAllowed, "\(request.method.rawValue) is not allowed on this path (allowed: \(allow))",
                        headers: [.allow: allow])
                }
                return APIError(.notFound, "no resource at \(request.method.rawValue) \(request.uri.path)")
            }
            let code = ProblemCode(status: error.status.code)
            let detail = code.status >= 500 ? code.defaultTitle : (error.body ?? code.defaultTitle)
            return APIError(code, detail, headers: error.headers)
        case is DatabaseUnavailable, is DatabaseConnectionLost:
            return APIError(.upstreamUnavailable, "the database is unavailable; try again shortly", headers: [.retryAfter: "1"])
        case let error as PSQLError where error.isConnectionFailure:
            return APIError(.upstreamUnavailable, "the database is unavailable; try again shortly", headers: [.retryAfter: "1"])
        case let error as ServiceClientError:
            switch error {
            case .timeout: return APIError(.upstreamTimeout, "an upstream service did not answer in time")
            default: return APIError(.upstreamUnavailable, "an upstream service is unavailable", headers: [.retryAfter: "1"])
            }
        case let error as NIOTooManyBytesError:
            // A body without a declared length that outgrew the limit while it was read.
            return APIError(.payloadTooLarge, "the body is larger than \(error.maxBytes.map(String.init) ?? "the limit") bytes")
        case is CancellationError:
            return APIError(.upstreamUnavailable, "the request was cancelled")
        default:
            return APIError(.internal, "an internal error occurred; quote the trace id when reporting it")
        }
    }
}

/// The first middleware inside tracing: converts every error thrown below into a problem response.
public struct ProblemMiddleware: RouterMiddleware {
    public typealias Context = ApexRequestContext
    let routes: RouteCatalog?

    public init(routes: RouteCatalog? = nil) {
        self.routes = routes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return ProblemResponse.make(for: error, request: request, context: context, routes: routes)
        }
    }
}

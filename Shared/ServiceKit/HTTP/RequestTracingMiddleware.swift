public import ApexProtocol
public import Hummingbird
import Instrumentation
import Logging
import Tracing

/// The outermost of ServiceCore's middleware (only `makeRouter(outermost:)`'s go around it): gives
/// every request its request id and trace, refuses a declared body larger than `MAX_BODY_BYTES`
/// before reading it, and writes the access log line and the request metrics once the response
/// is known.
public struct RequestTracingMiddleware: RouterMiddleware {
    public typealias Context = ApexRequestContext

    let metrics: ServiceMetrics
    let maxBodyBytes: Int
    let routes: RouteCatalog?

    public init(metrics: ServiceMetrics, maxBodyBytes: Int, routes: RouteCatalog? = nil) {
        self.metrics = metrics
        self.maxBodyBytes = maxBodyBytes
        self.routes = routes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard TraceExport.isEnabled else { return try await serve(request, context: context, next: next, span: nil) }
        // Spans are exported: the request runs in a server span continuing the caller's trace,
        // and the span's own ids become this request's trace context (logs, problem bodies and
        // the `traceparent` sent upstream then name the exported span).
        var incoming = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &incoming, using: HTTPFieldsExtractor())
        return try await withSpan("\(request.method.rawValue) \(request.uri.path)", context: incoming, ofKind: .server) { span in
            try await serve(request, context: context, next: next, span: span)
        }
    }

    private func serve(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response, span: (any Span)?
    ) async throws -> Response {
        var context = context
        context.requestID = RequestID.accept(request.headers.value(of: .xRequestID))
        context.trace = TraceContext.continuing(request.headers.value(of: .traceParent))
        if let span {
            var headers: [String: String] = [:]
            InstrumentationSystem.instrument.inject(span.context, into: &headers, using: DictionaryInjector())
            if let own = headers["traceparent"].flatMap(TraceContext.ofSpan) { context.trace = own }
        }
        context.maxUploadSize = maxBodyBytes
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        context.logger[metadataKey: "trace_id"] = .string(context.trace.traceID)

        let start = ContinuousClock.now
        var response: Response
        if let declared = request.headers.value(of: .contentLength).flatMap({ Int($0) }), declared > maxBodyBytes {
            response = ProblemResponse.response(
                APIError(.payloadTooLarge, "the body is larger than \(maxBodyBytes) bytes"), traceID: context.trace.traceID)
        } else {
            do {
                response = try await next(request, context)
            } catch {
                response = ProblemResponse.make(for: error, request: request, context: context, routes: routes)
            }
        }
        response.headers.setUnindexed(.xRequestID, context.requestID)
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        let version = HTTPVersionHeader.version(of: request)
        metrics.recordRequest(
            route: route, method: request.method.rawValue, status: response.status.code, httpVersion: version, duration: elapsed)
        if let span {
            span.operationName = "\(request.method.rawValue) \(route)"
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["http.route"] = route
            span.attributes["http.response.status_code"] = Int(response.status.code)
            span.attributes["network.protocol.version"] = version
            if response.status.code >= 500 { span.setStatus(.init(code: .error)) }
        }
        Self.writeAccessLog(
            logger: context.logger, method: request.method.rawValue, route: route, status: response.status.code, httpVersion: version,
            elapsed: elapsed)
        return response
    }

    /// The access log line of one request: info, or error for a 5xx. Also written for the
    /// requests an ``HTTPShortcut`` answers.
    static func writeAccessLog(logger: Logger, method: String, route: String, status: Int, httpVersion: String, elapsed: Duration) {
        let level: Logger.Level = status >= 500 ? .error : .info
        logger.log(
            level: level, "\(method) \(route) \(status)",
            metadata: [
                "route": .string(route),
                "method": .string(method),
                "status": .stringConvertible(status),
                "http_version": .string(httpVersion),
                "duration_ms": .stringConvertible((elapsed / .milliseconds(1) * 1000).rounded() / 1000),
            ])
    }
}

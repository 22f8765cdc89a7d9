public import HTTPTypes
public import Logging
public import NIOCore

/// A way around the router for requests a service can answer from their connection's event
/// loop, without a task: the gateway forwards GETs to the backends this way (`ForwardingShortcut`).
///
/// Through the router a request crosses threads four times (the stream's event loop to a task
/// on the shared pool, to the upstream connection's event loop, back to the pool, back to the
/// stream) and goes through a generic middleware chain. A bare swift-nio-http2 relay on this
/// machine forwards a GET for about a third of the gateway's CPU that way
/// (Benchmarks/Gateway/README.md, session 13).
///
/// It is offered each request without a body, unless spans are exported (the tracing
/// middleware makes them): by ``HTTP2StreamResponder`` when a request arrived whole in its
/// HEADERS frame, by ``HTTP1ShortcutHandler`` when an HTTP/1.1 request has ended and nothing else
/// is being answered on its connection. The shortcut declines (nil), and the request goes
/// through the router as before, or returns its answer. ``ApexResponder`` then does what the
/// router's outer layers do: `X-Request-ID`, `date` and `server` on the answer, the request
/// metrics and the access log line.
public protocol HTTPShortcut: Sendable {
    /// Called on `eventLoop`, the connection's (or HTTP/2 stream's); `requestID` and `trace` are
    /// those the tracing middleware would give the request.
    func answer(
        _ request: HTTPRequest, requestID: String, trace: TraceContext, logger: Logger, on eventLoop: any EventLoop
    )
        -> HTTPShortcutAnswer?
}

/// A request an ``HTTPShortcut`` took: its route (for the metrics and the log) and its answer.
public struct HTTPShortcutAnswer: Sendable {
    /// The route as the router would name it, e.g. `/api/v1/**`.
    public var route: String
    /// Added to the access log line (e.g. `user_id`).
    public var logMetadata: Logger.Metadata
    /// Completes on the event loop the request was offered on. A failure is answered 500, as the
    /// router answers an error no middleware handled.
    public var response: EventLoopFuture<(head: HTTPResponse, body: ByteBuffer)>

    public init(route: String, logMetadata: Logger.Metadata, response: EventLoopFuture<(head: HTTPResponse, body: ByteBuffer)>) {
        self.route = route
        self.logMetadata = logMetadata
        self.response = response
    }
}

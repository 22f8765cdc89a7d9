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
/// is being answered on its connection. The shortcut declines (false), and the request goes
/// through the router as before, or takes it (true) and later hands its answer to `reply`.
/// ``ApexResponder`` then does what the router's outer layers do: `X-Request-ID`, `date` and
/// `server` on the answer, the request metrics and the access log line.
///
/// The answer comes back through a closure rather than a future: a future and the two or three
/// more that `map`/`recover` make cost an allocation, a metadata lookup and a callback list each,
/// on the path this exists to make short.
public protocol HTTPShortcut: Sendable {
    /// Called on `eventLoop`, the connection's (or HTTP/2 stream's); `requestID` and `trace` are
    /// those the tracing middleware would give the request. When it returns true, `reply` is
    /// called exactly once, on `eventLoop`, possibly before `answer` has returned (a call that
    /// fails at once); when it returns false, never.
    func answer(
        _ request: HTTPRequest, requestID: String, trace: TraceContext, logger: Logger, on eventLoop: any EventLoop,
        reply: @escaping @Sendable (HTTPShortcutAnswer) -> Void
    ) -> Bool
}

/// The answer to a request an ``HTTPShortcut`` took, with its route (for the metrics and the log).
public struct HTTPShortcutAnswer: Sendable {
    /// The route as the router would name it, e.g. `/api/v1/**`.
    public var route: String
    /// The user the request acted for, named in the access log line as `user_id` (as the
    /// gateway's edge names it for routed requests). A string, not log metadata: the metadata
    /// would be a dictionary made for every answer, and read only when the line is written.
    public var userID: String?
    public var head: HTTPResponse
    public var body: ByteBuffer

    public init(route: String, userID: String?, head: HTTPResponse, body: ByteBuffer) {
        self.route = route
        self.userID = userID
        self.head = head
        self.body = body
    }
}

public import Hummingbird
public import Logging
public import NIOCore

/// The router's responder as the HTTP/2 stream path calls it: with what Hummingbird's
/// `Application` adds around the router on its own path (the `date` and `server` headers, and a
/// bare 500 for an error that no middleware turned into a response), so a response looks the
/// same whichever protocol carried it. It also carries the service's ``HTTPShortcut``, if any,
/// for both protocols (`ApexResponder+Shortcut.swift`).
public struct ApexResponder: Sendable {
    private let respond: @Sendable (Request, any Channel) async -> Response
    /// Whether a small HTTP/2 request starts on its stream's event loop, inside the read that
    /// delivered it, rather than in a task on the shared pool (``HTTP2StreamResponder``).
    let startsInline: Bool
    /// Offered each request without a body before the router, on both protocols (``HTTPShortcut``).
    let shortcut: (any HTTPShortcut)?
    let logger: Logger
    let serverName: String?
    /// Where the shortcut's requests are counted, as the tracing middleware counts the others.
    let metrics: ServiceMetrics?

    public init<Responder: HTTPResponder>(
        _ responder: Responder, logger: Logger, serverName: String?, startsInline: Bool = true, shortcut: (any HTTPShortcut)? = nil,
        metrics: ServiceMetrics? = nil
    )
    where Responder.Context == ApexRequestContext {
        self.startsInline = startsInline
        self.shortcut = shortcut
        self.logger = logger
        self.serverName = serverName
        self.metrics = metrics
        self.respond = { request, channel in
            let context = ApexRequestContext(source: .init(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch {
                logger.debug("unhandled error on an HTTP/2 stream", metadata: ["error.type": "\(type(of: error))"])
                response = Response(status: .internalServerError)
            }
            Self.stamp(&response.headers, serverName: serverName)
            return response
        }
    }

    /// The response to `request`, which arrived on `channel` (the HTTP/2 stream's channel).
    public func respond(to request: Request, on channel: any Channel) async -> Response {
        await respond(request, channel)
    }

    /// The `date` and `server` headers of every answer.
    static func stamp(_ headers: inout HTTPFields, serverName: String?) {
        headers[.date] = HTTPDate.now()
        if let serverName { headers[.server] = serverName }
    }
}

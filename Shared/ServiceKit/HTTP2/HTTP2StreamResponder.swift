import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP2
import NIOHTTPTypes
import NIOHTTPTypesHTTP2

/// Answers one HTTP/2 stream from a channel handler: it gathers the request, runs it through the
/// router in one task, and writes the response back on the stream.
///
/// Hummingbird's own HTTP/2 path wraps every stream in a `NIOAsyncChannel` and reads and writes
/// it through async sequences; that cost more than the router and the handler together for a
/// small request (Benchmarks/Foundation/README.md). Here the request body is gathered before the
/// router sees it, which the services' handlers do anyway (`request.decode`): at most
/// `maxBodyBytes` of it. A larger body is handed over as soon as it passes the limit, so the
/// router answers 413 problem+json exactly as on HTTP/1.1, and the rest of it is dropped.
final class HTTP2StreamResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let responder: ApexResponder
    private let maxBodyBytes: Int
    private var head: HTTPRequest?
    private var body: ByteBuffer?
    private var dispatched = false

    init(responder: ApexResponder, maxBodyBytes: Int) {
        self.responder = responder
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !dispatched else { return }
        switch unwrapInboundIn(data) {
        case .head(var head):
            head.headerFields[HTTPVersionHeader.name] = "2"
            self.head = head
            if let declared = head.headerFields[.contentLength].flatMap({ Int($0) }), declared > maxBodyBytes {
                // The tracing middleware refuses a declared oversize body without reading it.
                dispatch(context: context, body: ByteBuffer(), complete: false)
            }
        case .body(var part):
            if body == nil {
                body = part
            } else {
                body!.writeBuffer(&part)
            }
            if let body, body.readableBytes > maxBodyBytes {
                dispatch(context: context, body: body, complete: false)
            }
        case .end:
            dispatch(context: context, body: body ?? ByteBuffer(), complete: true)
        }
    }

    /// Runs the request. `complete` is false when the request was cut short at the body limit:
    /// once the answer is written, the stream is reset with NO_ERROR, which asks the client to
    /// stop sending without failing the response it already has (RFC 9113 §8.1).
    private func dispatch(context: ChannelHandlerContext, body: ByteBuffer, complete: Bool) {
        guard let head, !dispatched else { return }
        dispatched = true
        self.body = nil
        let request = Request(head: head, body: RequestBody(buffer: body))
        let stream = context.channel
        let responder = self.responder
        let resetAfterAnswer = complete ? nil : Self.frameContext(of: context)
        Task {
            let response = await responder.respond(to: request, on: stream)
            await HTTP2StreamResponseWriter.write(response, to: stream)
            if let resetAfterAnswer {
                stream.eventLoop.execute {
                    resetAfterAnswer.value.writeAndFlush(NIOAny(HTTP2Frame.FramePayload.rstStream(.noError)), promise: nil)
                }
            }
        }
    }

    /// Where HTTP/2 frames (RST_STREAM) are written on this stream: below the HTTP-types codec,
    /// which only takes HTTP response parts.
    private static func frameContext(of context: ChannelHandlerContext) -> NIOLoopBound<ChannelHandlerContext>? {
        (try? context.pipeline.syncOperations.context(handlerType: HTTP2FramePayloadToHTTPServerCodec.self))
            .map { NIOLoopBound($0, eventLoop: context.eventLoop) }
    }
}

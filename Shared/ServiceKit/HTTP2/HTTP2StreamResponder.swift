import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP2
import NIOHTTPTypes
import NIOHTTPTypesHTTP2

/// Answers one HTTP/2 stream from a channel handler: it gathers the request, runs it through the
/// router in one task, and writes the response back on the stream.
///
/// A small whole request (≤ ``inlineBodyLimit``) starts inline: its task begins on the stream's
/// event loop, inside the read that delivered it (`Task.immediate`), and runs there until it
/// first suspends (a database call, another service); from there on it runs on the shared pool
/// as before. A request that never suspends (validation errors, health, cached reads) is then
/// answered without leaving the event loop, and its answer leaves with those of the same read in
/// one write. That took 14–23 % of the server's CPU per request off the echo benchmark
/// (Benchmarks/Foundation/README.md, session 9). The limit bounds the work done there: at most
/// 64 KiB of body to decode before a handler's first wait. Services whose every request waits
/// on another service after costly checks (the gateway) opt out: `ApexResponder.startsInline`.
///
/// Hummingbird's own HTTP/2 path wraps every stream in a `NIOAsyncChannel` and reads and writes
/// it through async sequences; that cost more than the router and the handler together for a
/// small request (Benchmarks/Foundation/README.md). Here the request body is gathered before the
/// router sees it, which the services' handlers do anyway (`request.decode`): at most
/// `maxBodyBytes` of it. A larger body is handed over as soon as it passes the limit, as a body
/// that fails with `NIOTooManyBytesError` once read, so the router answers 413 problem+json
/// exactly as on HTTP/1.1; the rest of it is dropped. A request that does not arrive whole within
/// the connection's request timeout (headers sent, then silence) has its stream reset, so it
/// cannot hold the connection open, nor a graceful shutdown's drain.
final class HTTP2StreamResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let responder: ApexResponder
    private let maxBodyBytes: Int
    /// The connection's waits for the rest of a request, one timer for all its streams.
    private let deadlines: StreamDeadlines<HTTP2StreamResponder>
    private let requestTimeout: TimeAmount
    private var head: HTTPRequest?
    private var body: ByteBuffer?
    private var dispatched = false
    private var waiting = false
    private var stream: (any Channel)?
    /// The request's task, cancelled when the stream closes first (see `channelInactive`).
    private var task: Task<Void, Never>?

    init(responder: ApexResponder, maxBodyBytes: Int, deadlines: StreamDeadlines<HTTP2StreamResponder>, requestTimeout: TimeAmount) {
        self.responder = responder
        self.maxBodyBytes = maxBodyBytes
        self.deadlines = deadlines
        self.requestTimeout = requestTimeout
    }

    /// The wait on every stream of one connection for the rest of its request.
    static func requestDeadlines(on eventLoop: any EventLoop) -> StreamDeadlines<HTTP2StreamResponder> {
        StreamDeadlines(eventLoop: eventLoop) { responder in
            responder.waiting = false
            responder.stream?.close(promise: nil)
        }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        stream = context.channel
    }

    /// (Re)starts the wait for the rest of the request after each batch of reads that left it
    /// unfinished: an idle timeout, so a large body that keeps arriving is not cut off. NIOHTTP2
    /// ends a batch as a stream opens, before its DATA frames, so nearly every request starts a
    /// wait: an entry in the connection's ``StreamDeadlines``, not a timer of its own.
    func channelReadComplete(context: ChannelHandlerContext) {
        if !dispatched {
            waiting = true
            deadlines.wait(self, for: requestTimeout)
        }
        context.fireChannelReadComplete()
    }

    private func stopWaiting() {
        guard waiting else { return }
        waiting = false
        deadlines.stopWaiting(self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopWaiting()
        stream = nil
    }

    /// The stream closed. When the client reset it (it gave up, or its own deadline passed) the
    /// answer can no longer be delivered, so the route's task is cancelled instead of running on:
    /// a slow search or a database wait ends at its next suspension point. After an answer was
    /// written the task has finished and this does nothing.
    func channelInactive(context: ChannelHandlerContext) {
        stopWaiting()
        task?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !dispatched else { return }
        switch unwrapInboundIn(data) {
        case .head(var head):
            head.headerFields[HTTPVersionHeader.name] = "2"
            self.head = head
            if let declared = head.headerFields.value(of: .contentLength).flatMap({ Int($0) }), declared > maxBodyBytes {
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
        stopWaiting()
        self.body = nil
        guard let frames = Self.frameContext(of: context) else {
            context.close(promise: nil)
            return
        }
        let request = Request(head: head, body: complete ? RequestBody(buffer: body) : Self.cutShort(body, limit: maxBodyBytes))
        let stream = context.channel
        let responder = self.responder
        let operation: @Sendable () async -> Void = {
            let response = await responder.respond(to: request, on: stream)
            let ended = await HTTP2StreamResponseWriter.write(response, to: frames)
            if !complete, let ended {
                // Only once the end of the answer has left the flow-control buffer: a reset
                // overtakes frames still waiting there, and would cut the answer off.
                ended.whenComplete { _ in
                    // On the next tick: the end's write completes before its flush.
                    stream.eventLoop.execute {
                        frames.value.writeAndFlush(NIOAny(HTTP2Frame.FramePayload.rstStream(.noError)), promise: nil)
                    }
                }
            }
        }
        task =
            responder.startsInline && complete && body.readableBytes <= Self.inlineBodyLimit
            ? Task.immediate(operation: operation) : Task(operation: operation)
    }

    /// Requests whose whole body is at most this many bytes start inline (see the type's
    /// documentation).
    static let inlineBodyLimit = 64 * 1024

    /// The part of a body that was read before it passed the limit: a handler reading it gets
    /// those bytes, then `NIOTooManyBytesError` (a 413), never a body that looks whole.
    private static func cutShort(_ body: ByteBuffer, limit: Int) -> RequestBody {
        let (parts, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        if body.readableBytes > 0 { continuation.yield(body) }
        continuation.finish(throwing: NIOTooManyBytesError(maxBytes: limit))
        return RequestBody(asyncSequence: parts)
    }

    /// Where the answer's HTTP/2 frames (and a RST_STREAM) are written on this stream: below the
    /// HTTP-types codec, which only takes HTTP response parts and would end the answer with a DATA
    /// frame of its own (``HTTP2StreamResponseWriter``).
    private static func frameContext(of context: ChannelHandlerContext) -> NIOLoopBound<ChannelHandlerContext>? {
        (try? context.pipeline.syncOperations.context(handlerType: HTTP2FramePayloadToHTTPServerCodec.self))
            .map { NIOLoopBound($0, eventLoop: context.eventLoop) }
    }
}

import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP2

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
///
/// A request that arrives whole in its HEADERS frame is first offered to the service's
/// ``HTTPShortcut``, if it has one (the gateway): one it takes never reaches the router.
///
/// It reads the stream's HTTP/2 frames itself (`HTTPRequest(headerBlock:)`), as it writes them:
/// swift-nio-extras' HTTP-types codec, a second handler on every stream, turned each frame into
/// a request part first, and cost about 5 % of the server's CPU per request on the echo benchmark
/// (Benchmarks/Foundation/README.md, session 12). A header block that is not a request is
/// malformed (RFC 9113 §8.1.1): the stream is reset with PROTOCOL_ERROR.
final class HTTP2StreamResponder: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let responder: ApexResponder
    private let maxBodyBytes: Int
    /// The connection's waits for the rest of a request, one timer for all its streams.
    private let deadlines: StreamDeadlines<HTTP2StreamResponder>
    private let requestTimeout: TimeAmount
    /// The connection's grouping of answers written inside a read.
    private let answers: NIOLoopBound<InlineAnswerFlusher>
    private var head: HTTPRequest?
    private var body: ByteBuffer?
    private var dispatched = false
    private var waiting = false
    private var stream: (any Channel)?
    /// The request's task, cancelled when the stream closes first (see `channelInactive`).
    private var task: Task<Void, Never>?

    init(
        responder: ApexResponder, maxBodyBytes: Int, deadlines: StreamDeadlines<HTTP2StreamResponder>,
        answers: NIOLoopBound<InlineAnswerFlusher>, requestTimeout: TimeAmount
    ) {
        self.responder = responder
        self.maxBodyBytes = maxBodyBytes
        self.deadlines = deadlines
        self.requestTimeout = requestTimeout
        self.answers = answers
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
        let frame = unwrapInboundIn(data)
        guard !dispatched else {
            // A request dispatched before its end (its body over the limit) may still send
            // trailers; malformed ones make it malformed all the same.
            if case .headers(let block) = frame, !block.headers.isWellFormedTrailers { resetMalformed(context: context) }
            return
        }
        switch frame {
        case .headers(let block):
            if head == nil {
                guard var request = HTTPRequest(headerBlock: block.headers) else {
                    resetMalformed(context: context)
                    return
                }
                request.headerFields[HTTPVersionHeader.name] = "2"
                head = request
                if let declared = request.headerFields.value(of: .contentLength).flatMap({ Int($0) }), declared > maxBodyBytes {
                    // The tracing middleware refuses a declared oversize body without reading it.
                    dispatch(context: context, body: ByteBuffer(), complete: false)
                    return
                }
                if block.endStream, responder.shortcut != nil, answerByShortcut(request, context: context) {
                    dispatched = true
                    stopWaiting()
                    return
                }
            } else if !block.headers.isWellFormedTrailers {
                resetMalformed(context: context)
                return
            }
            // The request's head, or its trailers, which no route reads.
            if block.endStream { dispatch(context: context, body: body ?? ByteBuffer(), complete: true) }
        case .data(let frame):
            if case .byteBuffer(var part) = frame.data, part.readableBytes > 0 {
                if body == nil {
                    body = part
                } else {
                    body!.writeBuffer(&part)
                }
                if let body, body.readableBytes > maxBodyBytes {
                    dispatch(context: context, body: body, complete: false)
                    return
                }
            }
            if frame.endStream { dispatch(context: context, body: body ?? ByteBuffer(), complete: true) }
        default:
            return
        }
    }

    /// A malformed request (RFC 9113 §8.1.1) is a stream error, not an answer.
    private func resetMalformed(context: ChannelHandlerContext) {
        dispatched = true
        stopWaiting()
        context.writeAndFlush(wrapOutboundOut(.rstStream(.protocolError)), promise: nil)
        context.close(promise: nil)
    }

    /// Offers the request to the service's ``HTTPShortcut``; its answer goes out as frames.
    private func answerByShortcut(_ request: HTTPRequest, context: ChannelHandlerContext) -> Bool {
        let frames = NIOLoopBound(context, eventLoop: context.eventLoop)
        return responder.answerByShortcut(request, httpVersion: "2", on: context.eventLoop) { head, body in
            _ = HTTP2StreamResponseWriter.send(head: head, body: [body], trailers: nil, on: frames)
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
        let frames = NIOLoopBound(context, eventLoop: context.eventLoop)
        let request = Request(head: head, body: complete ? RequestBody(buffer: body) : Self.cutShort(body, limit: maxBodyBytes))
        let stream = context.channel
        let responder = self.responder
        let answers = self.answers
        let operation: @Sendable () async -> Void = {
            let response = await responder.respond(to: request, on: stream)
            let ended = await HTTP2StreamResponseWriter.write(response, to: frames)
            // Still on the event loop: answered inline, inside the read that brought the request.
            if stream.eventLoop.inEventLoop { answers.value.answerWritten() }
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
}

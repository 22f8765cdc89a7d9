import HTTPTypes
import NIOCore
import NIOHPACK
import NIOHTTP2
import Synchronization

/// One call on one HTTP/2 client stream, from a channel handler: it writes the request when the
/// stream opens and reports the whole answer to its ``UpstreamCall``.
///
/// This replaced a `NIOAsyncChannel` per call (async writer, async inbound sequence, a hop to
/// the event loop and back for each): the caller now waits on one future, and the deadline is an
/// entry in the connection's ``StreamDeadlines`` (one timer for all its calls), set in the same hop
/// that sends the request.
///
/// It reads and writes HTTP/2 frames itself, with no HTTP-types codec on the stream: a request
/// leaves as HEADERS and one DATA frame carrying END_STREAM (a GET as HEADERS alone), where the
/// codec added an empty DATA frame to end every message (see `HPACKHeaders+HTTPTypes.swift`; the
/// header block itself is built by `ServiceClient.headerBlock(for:)`).
final class UpstreamExchange: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let headers: HPACKHeaders
    private let requestBody: ByteBuffer?
    private let call: UpstreamCall
    private let timeout: TimeAmount
    /// The connection's flush batching, and whether this call skips it (it was made on the event
    /// loop, by a request answered inline: see ``FlushCoalescer``).
    private let flushes: NIOLoopBound<FlushCoalescer>
    private let flushAtOnce: Bool
    private var started = false
    private var head: HTTPResponse?
    private var body = ByteBuffer()
    /// The connection's call deadlines, one timer for all its calls.
    private let deadlines: NIOLoopBound<StreamDeadlines<UpstreamExchange>>
    private var waiting = false
    private var stream: (any Channel)?

    init(
        headers: HPACKHeaders, body: ByteBuffer?, call: UpstreamCall, timeout: TimeAmount,
        deadlines: NIOLoopBound<StreamDeadlines<UpstreamExchange>>, flushes: NIOLoopBound<FlushCoalescer>, flushAtOnce: Bool
    ) {
        self.deadlines = deadlines
        self.headers = headers
        self.requestBody = body.flatMap { $0.readableBytes > 0 ? $0 : nil }
        self.call = call
        self.timeout = timeout
        self.flushes = flushes
        self.flushAtOnce = flushAtOnce
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    /// The wait on every call of one connection for its answer.
    static func callDeadlines(on eventLoop: any EventLoop) -> StreamDeadlines<UpstreamExchange> {
        StreamDeadlines(eventLoop: eventLoop) { exchange in
            exchange.waiting = false
            exchange.call.deadlinePassed()
            exchange.stream?.close(promise: nil)
        }
    }

    private func stopWaiting() {
        guard waiting else { return }
        waiting = false
        deadlines.value.stopWaiting(self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopWaiting()
        stream = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let stream = context.channel
        guard call.attach(stream) else {
            // The caller gave up before the stream opened.
            context.close(promise: nil)
            return
        }
        let call = self.call
        self.stream = stream
        waiting = true
        deadlines.value.wait(self, for: timeout)
        // A request whose HEADERS could not be written never reached the server (a stream opened
        // on a connection the server is closing with GOAWAY fails here): it may be sent again.
        let headersSent = context.eventLoop.makePromise(of: Void.self)
        headersSent.futureResult.whenFailure { error in call.fail(because: "the request was not sent: \(error)", unprocessed: true) }
        context.write(wrapOutboundOut(.headers(.init(headers: headers, endStream: requestBody == nil))), promise: headersSent)
        if let requestBody {
            context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(requestBody), endStream: true))), promise: nil)
        }
        // One flush: HEADERS and DATA leave in one system call, with those of the other calls
        // started in this turn of the event loop unless this one skips the batch.
        if flushAtOnce {
            flushes.value.flushingAtOnce { context.flush() }
        } else {
            context.flush()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let ended: Bool
        switch unwrapInboundIn(data) {
        case .headers(let block):
            ended = block.endStream
            if head == nil {
                guard let response = HTTPResponse(headerBlock: block.headers) else {
                    stopWaiting()
                    call.fail(because: "malformed response header block")
                    context.close(promise: nil)
                    return
                }
                // An informational answer (1xx) precedes the real one; a block after the head
                // is the trailers, which no call reads.
                if response.status.kind != .informational { head = response }
            }
        case .data(let frame):
            ended = frame.endStream
            if case .byteBuffer(var chunk) = frame.data { body.writeBuffer(&chunk) }
        default:
            return
        }
        guard ended else { return }
        stopWaiting()
        if let head {
            call.succeed(UpstreamResponse(status: head.status, headers: head.headerFields, body: body))
        } else {
            call.fail(because: "stream ended without a response")
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopWaiting()
        call.fail(because: "stream closed before a response")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // REFUSED_STREAM, sent by the server or implied by its GOAWAY naming an earlier stream,
        // means the server did not process the request (RFC 9113 §8.7).
        let refused = (error as? NIOHTTP2Errors.StreamClosed)?.errorCode == .refusedStream
        call.fail(because: String(describing: error), unprocessed: refused)
        context.close(promise: nil)
    }
}

/// What the caller of one upstream call waits on, and how it ended: the stream's handler, the
/// deadline timer and the caller's cancellation all report here, and the first one decides.
/// The outcome goes to a promise (a task waits on its future) or straight to a closure (the
/// gateway's shortcut, on the connection's event loop, with no future in between).
final class UpstreamCall: Sendable {
    private let deliver: @Sendable (Result<UpstreamResponse, any Error>) -> Void

    private struct State {
        var stream: (any Channel)?
        var done = false
        var cancelled = false
        var timedOut = false
    }
    private let state = Mutex(State())

    init(promise: EventLoopPromise<UpstreamResponse>) {
        self.deliver = { promise.completeWith($0) }
    }

    /// `completion` runs on the stream's event loop, or wherever ``cancel()`` is called.
    init(completion: @escaping @Sendable (Result<UpstreamResponse, any Error>) -> Void) {
        self.deliver = completion
    }

    /// The stream opened; false when the caller was cancelled before that.
    func attach(_ stream: any Channel) -> Bool {
        state.withLock { state in
            state.stream = stream
            return !state.cancelled
        }
    }

    func succeed(_ answer: UpstreamResponse) {
        if finish() { deliver(.success(answer)) }
    }

    /// Fails the call: a timeout if the deadline passed, a cancellation if the caller left,
    /// otherwise a connection failure (which an idempotent call may retry), or, when
    /// `unprocessed`, ``UpstreamNotProcessed`` (which any call may retry).
    func fail(because reason: String, unprocessed: Bool = false) {
        let (first, timedOut, cancelled) = state.withLock { state in
            defer { state.done = true }
            return (!state.done, state.timedOut, state.cancelled)
        }
        guard first else { return }
        if cancelled {
            deliver(.failure(CancellationError()))
        } else if timedOut {
            deliver(.failure(ServiceClientError.timeout))
        } else if unprocessed {
            deliver(.failure(UpstreamNotProcessed(reason: reason)))
        } else {
            deliver(.failure(ServiceClientError.connectionFailed(reason)))
        }
    }

    func deadlinePassed() {
        state.withLock { $0.timedOut = true }
    }

    /// The calling task was cancelled: close the stream (its handler then fails the call).
    func cancel() {
        let stream: (any Channel)? = state.withLock { state in
            state.cancelled = true
            return state.stream
        }
        if let stream {
            stream.close(promise: nil)
        } else {
            fail(because: "cancelled")
        }
    }

    private func finish() -> Bool {
        state.withLock { state in
            defer { state.done = true }
            return !state.done
        }
    }
}

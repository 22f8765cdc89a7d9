import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Offers the HTTP/1.1 requests of one connection to the service's ``HTTPShortcut`` before they
/// reach Hummingbird's connection loop, and answers those it takes.
///
/// It sits between Hummingbird's `HTTPConnectionStateHandler` and the connection's async channel,
/// so the state handler sees the shortcut's requests and answers like any others (idle timeout,
/// graceful shutdown after the answer in progress).
///
/// HTTP/1.1 answers leave in the order of their requests. So a request is offered only when
/// nothing else is being answered on the connection (by Hummingbird, or by the shortcut). While a
/// shortcut answer is pending, whatever the client sends next (a pipelined request) is held back
/// and replayed once that answer has been written, and so is the end of the client's side of the
/// connection (a half-close), which Hummingbird takes as the end of the connection.
///
/// A request is offered once its end has arrived: only a GET without a body (no
/// `Transfer-Encoding`, no `Content-Length` but 0) and without `Connection: close` (after which
/// Hummingbird closes the connection). A client that sends more than ``heldLimit`` bytes (or 1,024
/// parts) while it waits for such an answer is cut off: nothing reads it meanwhile, and
/// Hummingbird's own back pressure does not reach this far.
final class HTTP1ShortcutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let responder: ApexResponder
    /// A request head that may be offered, waiting for its end.
    private var candidate: HTTPRequest?
    /// Requests passed to Hummingbird whose answer has not ended yet.
    private var routed = 0
    /// Whether a request passed to Hummingbird is still arriving.
    private var passing = false
    /// Whether a shortcut answer is pending.
    private var answering = false
    /// What arrived while a shortcut answer was pending.
    private var held = CircularBuffer<HTTPRequestPart>()
    private var heldBytes = 0
    /// The client closed its side while a shortcut answer was pending: passed on after it, as
    /// Hummingbird would see it after answering (it ends the connection on it).
    private var heldInputClosed = false
    static let heldLimit = 1 << 20
    private var context: ChannelHandlerContext?

    init(responder: ApexResponder) {
        self.responder = responder
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if answering {
            if case .body(let bytes) = part { heldBytes += bytes.readableBytes }
            held.append(part)
            if heldBytes > Self.heldLimit || held.count > 1024 { context.close(promise: nil) }
            return
        }
        receive(part, context: context)
    }

    private func receive(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            if !passing, routed == 0, Self.mayOffer(head) {
                candidate = head
                return
            }
            pass(part, context: context)
        case .end where candidate != nil:
            let head = candidate!
            candidate = nil
            if offer(head, context: context) { return }
            pass(.head(head), context: context)
            pass(part, context: context)
        default:
            if let head = candidate {
                candidate = nil
                pass(.head(head), context: context)
            }
            pass(part, context: context)
        }
    }

    private func pass(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head:
            passing = true
            routed += 1
        case .end:
            passing = false
        case .body:
            break
        }
        context.fireChannelRead(wrapInboundOut(part))
    }

    /// A GET without a body, after which Hummingbird would keep the connection open.
    static func mayOffer(_ head: HTTPRequest) -> Bool {
        let fields = head.headerFields
        return head.method == .get && fields[.connection] != "close" && (fields[.contentLength] ?? "0") == "0"
            && !fields.contains(.transferEncoding)
    }

    private func offer(_ head: HTTPRequest, context: ChannelHandlerContext) -> Bool {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        // Set first: the shortcut may answer before `answerByShortcut` returns (a call that
        // fails at once and is not retried), and `answer` clears it.
        answering = true
        let taken = responder.answerByShortcut(head, httpVersion: "1.1", on: context.eventLoop) { response, body in
            handler.value.answer(response, body: body)
        }
        if !taken { answering = false }
        return taken
    }

    /// Writes the shortcut's answer, then lets through what arrived meanwhile.
    private func answer(_ response: HTTPResponse, body: ByteBuffer) {
        answering = false
        guard let context else { return }
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(body)), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        var replayed = false
        heldBytes = 0
        while !answering, let part = held.popFirst() {
            receive(part, context: context)
            replayed = true
        }
        if replayed { context.fireChannelReadComplete() }
        if !answering, heldInputClosed {
            heldInputClosed = false
            context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if answering || !held.isEmpty || heldInputClosed, case .inputClosed = event as? ChannelEvent {
            heldInputClosed = true
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { routed = max(0, routed - 1) }
        context.write(data, promise: promise)
    }
}

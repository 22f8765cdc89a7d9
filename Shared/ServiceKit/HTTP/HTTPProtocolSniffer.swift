import NIOCore

/// Looks at the first bytes of a connection to tell HTTP/2 with prior knowledge from HTTP/1.1.
///
/// An h2c client opens with the fixed preface `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`; anything else
/// is HTTP/1.1. The sniffer decides at the first byte that differs from the preface, or after the
/// whole preface, and reports the decision. It passes every byte on unchanged: a
/// ``ReplayBuffer`` behind it holds them until the protocol's handlers are in place.
final class HTTPProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum Detected: Sendable { case http1, http2 }

    /// The handler's name in the pipeline, to remove it by.
    static let name = "apex.protocol-sniffer"

    static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// The bytes seen before the decision (at most the preface's length).
    private var seen: [UInt8] = []
    private var decided = false
    let detection: EventLoopPromise<Detected>

    init(eventLoop: any EventLoop) {
        self.detection = eventLoop.makePromise(of: Detected.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !decided {
            let incoming = unwrapInboundIn(data)
            seen += incoming.readableBytesView.prefix(Self.preface.count - seen.count)
            if !Self.preface.starts(with: seen) {
                decide(.http1)
            } else if seen.count == Self.preface.count {
                decide(.http2)
            }
        }
        context.fireChannelRead(data)
    }

    private func decide(_ result: Detected) {
        decided = true
        detection.succeed(result)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failIfUndecided(ChannelError.eof)
        context.fireChannelInactive()
    }

    /// The client closed its side before saying which protocol it speaks (a TCP probe that
    /// connects and leaves): nothing will follow, so the connection is done.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if !decided, let event = event as? ChannelEvent, event == .inputClosed {
            decided = true
            detection.fail(ChannelError.eof)
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Removed undecided (the pipeline torn down without `channelInactive` reaching this
    /// handler): the promise must still be completed, or NIO traps on it in debug builds.
    func handlerRemoved(context: ChannelHandlerContext) {
        failIfUndecided(ChannelError.eof)
    }

    /// Fails the detection unless it was decided; for a sniffer that never made it into a
    /// pipeline (adding it failed), so its promise does not leak.
    func failIfUndecided(_ error: any Error) {
        if !decided {
            decided = true
            detection.fail(error)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failIfUndecided(error)
        context.fireErrorCaught(error)
    }
}

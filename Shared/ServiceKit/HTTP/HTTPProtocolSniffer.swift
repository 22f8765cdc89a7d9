import NIOCore

/// Looks at the first bytes of a connection to tell HTTP/2 with prior knowledge from HTTP/1.1.
///
/// An h2c client opens with the fixed preface `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`; anything else
/// is HTTP/1.1. The sniffer buffers bytes until it can decide (at the first byte that differs
/// from the preface, or after the whole preface), reports the decision, and when it is removed
/// replays what it buffered into the pipeline configured for that protocol.
final class HTTPProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum Detected: Sendable { case http1, http2 }

    static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private var buffered: ByteBuffer?
    private var decided = false
    let detection: EventLoopPromise<Detected>

    init(eventLoop: any EventLoop) {
        self.detection = eventLoop.makePromise(of: Detected.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if decided {
            // Decided but not yet removed: keep bytes in order until the replay.
            buffered.setOrWriteBuffer(&incoming)
            return
        }
        buffered.setOrWriteBuffer(&incoming)
        guard let bytes = buffered?.readableBytesView else { return }
        let count = min(bytes.count, Self.preface.count)
        let matches = zip(bytes.prefix(count), Self.preface.prefix(count)).allSatisfy { $0 == $1 }
        if !matches {
            decide(.http1)
        } else if count == Self.preface.count {
            decide(.http2)
        }
    }

    private func decide(_ result: Detected) {
        decided = true
        detection.succeed(result)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !decided {
            decided = true
            detection.fail(ChannelError.eof)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !decided {
            decided = true
            detection.fail(error)
        }
        context.fireErrorCaught(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Shutting down while a connection has not said which protocol it speaks: just close it.
        if !decided, event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        if let buffered, buffered.readableBytes > 0 {
            self.buffered = nil
            context.fireChannelRead(wrapInboundOut(buffered))
            context.fireChannelReadComplete()
        }
        context.leavePipeline(removalToken: removalToken)
    }
}

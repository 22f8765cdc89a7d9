import NIOCore

/// Holds a connection's first bytes until the handlers that read them are in place, then
/// replays them when it is removed.
///
/// Lets a server set a connection's protocol handlers up when it starts handling the
/// connection, not when it accepts it (``DeferredHTTP1Channel``, ``DualProtocolChannel``).
final class ReplayBuffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The handler's name in the pipeline, to remove it by.
    static let name = "apex.replay-buffer"

    private var buffered: ByteBuffer?
    /// The client closed its side while the bytes were held: told again after the replay, to
    /// the protocol's handlers.
    private var inputClosed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffered.setOrWriteBuffer(&incoming)
    }

    func channelReadComplete(context: ChannelHandlerContext) {}

    /// Shutting down before the connection was handled: close it. Forwarding the event would
    /// lose it (no protocol handler is there yet to act on it), and the server would then wait
    /// for this connection forever. The client's FIN is held back like its bytes.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
        } else if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        if let held = buffered, held.readableBytes > 0 {
            buffered = nil
            context.fireChannelRead(wrapInboundOut(held))
            context.fireChannelReadComplete()
        }
        if inputClosed { context.fireUserInboundEventTriggered(ChannelEvent.inputClosed) }
        context.leavePipeline(removalToken: removalToken)
    }
}

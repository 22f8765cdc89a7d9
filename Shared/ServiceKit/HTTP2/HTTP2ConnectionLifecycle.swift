import Logging
import NIOCore
import NIOHTTP2

/// Ends an HTTP/2 connection cleanly, as Hummingbird's own HTTP/2 channel does.
///
/// - On the server's graceful shutdown (`ChannelShouldQuiesceEvent`) it sends GOAWAY naming the
///   last stream it accepted, lets those streams finish, then closes: requests in flight at
///   SIGTERM complete, and the client knows which ones it may retry elsewhere.
/// - After `idleTimeout` with no open stream it does the same, and when the client closes its
///   side of the connection.
/// - Streams still open `idleTimeout` after the GOAWAY are not waited for any longer.
///
/// It learns of streams through the HTTP/2 handler's stream delegate (``streamDelegate``).
final class HTTP2ConnectionLifecycle: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private let eventLoop: any EventLoop
    private let idleTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var openStreams = 0
    private var lastStreamID = HTTP2StreamID.rootStream
    private var closing = false
    private var idleTimer: Scheduled<Void>?
    private var drainTimer: Scheduled<Void>?

    init(eventLoop: any EventLoop, idleTimeout: TimeAmount) {
        self.eventLoop = eventLoop
        self.idleTimeout = idleTimeout
    }

    var streamDelegate: StreamDelegate { StreamDelegate(lifecycle: NIOLoopBound(self, eventLoop: eventLoop), eventLoop: eventLoop) }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startIdleTimer() }
    }

    func channelActive(context: ChannelHandlerContext) {
        startIdleTimer()
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        drainTimer?.cancel()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        drainTimer?.cancel()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            closeGracefully()
        case let event as ChannelEvent where event == .inputClosed:
            // The client sent FIN (Hummingbird allows half-closure): no new stream can come.
            closeGracefully()
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// GOAWAY, then close once the streams already accepted are done.
    private func closeGracefully() {
        guard !closing, let context else { return }
        closing = true
        idleTimer?.cancel()
        let sent = sendGoAway(context: context)
        if openStreams == 0 {
            close(context: context, after: sent)
        } else {
            let stuck = NIOLoopBound(context, eventLoop: context.eventLoop)
            drainTimer = eventLoop.scheduleTask(in: idleTimeout) { stuck.value.close(promise: nil) }
        }
    }

    private func sendGoAway(context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        let goAway = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: lastStreamID, errorCode: .noError, opaqueData: nil))
        return context.writeAndFlush(wrapOutboundOut(goAway))
    }

    /// Closes once `written` is on the socket: writes leave in order, so every response written
    /// before it has left too (closing at once would drop a last response not yet flushed).
    private func close(context: ChannelHandlerContext, after written: EventLoopFuture<Void>) {
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.whenComplete { _ in context.value.close(promise: nil) }
    }

    private func startIdleTimer() {
        idleTimer?.cancel()
        guard !closing, openStreams == 0 else { return }
        let lifecycle = NIOLoopBound(self, eventLoop: eventLoop)
        idleTimer = eventLoop.scheduleTask(in: idleTimeout) { lifecycle.value.closeGracefully() }
    }

    fileprivate func streamCreated(_ id: HTTP2StreamID) {
        openStreams += 1
        if id > lastStreamID { lastStreamID = id }
        idleTimer?.cancel()
        idleTimer = nil
    }

    fileprivate func streamClosed() {
        openStreams -= 1
        guard openStreams == 0 else { return }
        if closing {
            // Called while the stream's last frame is on its way out: send the final GOAWAY on
            // the next tick, behind that frame, and close once it is written.
            let lifecycle = NIOLoopBound(self, eventLoop: eventLoop)
            eventLoop.execute {
                guard let context = lifecycle.value.context else { return }
                lifecycle.value.close(context: context, after: lifecycle.value.sendGoAway(context: context))
            }
        } else {
            startIdleTimer()
        }
    }

    /// Forwards the HTTP/2 handler's stream events to the lifecycle, on its event loop (where
    /// the handler already calls it).
    struct StreamDelegate: NIOHTTP2StreamDelegate {
        let lifecycle: NIOLoopBound<HTTP2ConnectionLifecycle>
        let eventLoop: any EventLoop

        func streamCreated(_ id: HTTP2StreamID, channel: any Channel) {
            let lifecycle = self.lifecycle
            eventLoop.runOnLoop { lifecycle.value.streamCreated(id) }
        }

        func streamClosed(_ id: HTTP2StreamID, channel: any Channel) {
            let lifecycle = self.lifecycle
            eventLoop.runOnLoop { lifecycle.value.streamClosed() }
        }
    }
}

extension EventLoop {
    fileprivate func runOnLoop(_ body: @escaping @Sendable () -> Void) {
        if inEventLoop { body() } else { execute(body) }
    }
}

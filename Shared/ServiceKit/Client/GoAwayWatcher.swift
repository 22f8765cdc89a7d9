import NIOCore
import NIOHTTP2

/// Tells the upstream when the server sent GOAWAY on its connection, so that new calls open a
/// new connection instead of streams the server will refuse.
///
/// A backend shutting down gracefully (a deploy, a scale-in) sends GOAWAY and keeps the
/// connection open until its streams in flight are answered, which can take seconds. Without
/// this, every call in that window was refused on the old connection, and its one retry went
/// to the same connection again.
final class GoAwayWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame

    private let onGoAway: @Sendable () -> Void

    init(onGoAway: @escaping @Sendable () -> Void) {
        self.onGoAway = onGoAway
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .goAway = unwrapInboundIn(data).payload { onGoAway() }
        context.fireChannelRead(data)
    }
}

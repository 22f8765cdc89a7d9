import NIOCore
import NIOPosix
import Synchronization

/// A TCP forwarder the test can cut and restore, standing in for a database that stops.
///
/// `stop()` closes the listener and every forwarded connection (what a stopped PostgreSQL
/// does to its clients); `start()` listens again on the same port.
public final class TCPProxy: Sendable {
    private let targetHost: String
    private let targetPort: Int
    private let state = Mutex<(listener: (any Channel)?, connections: [any Channel])>((nil, []))
    private let portBox = Mutex<Int>(0)

    public init(targetHost: String, targetPort: Int) {
        self.targetHost = targetHost
        self.targetPort = targetPort
    }

    public var port: Int { portBox.withLock { $0 } }

    public func start() async throws {
        let requested = port
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                self.track(inbound)
                return ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: self.targetHost, port: self.targetPort)
                    .flatMap { outbound in
                        self.track(outbound)
                        return inbound.pipeline.addHandler(Relay(peer: outbound)).flatMap {
                            outbound.pipeline.addHandler(Relay(peer: inbound))
                        }
                    }
            }
            .bind(host: "127.0.0.1", port: requested)
            .get()
        portBox.withLock { $0 = listener.localAddress?.port ?? 0 }
        state.withLock { $0.listener = listener }
    }

    public func stop() async {
        let (listener, connections) = state.withLock { state in
            defer { state = (nil, []) }
            return (state.listener, state.connections)
        }
        try? await listener?.close()
        for connection in connections { try? await connection.close() }
    }

    private func track(_ channel: any Channel) {
        state.withLock { $0.connections.append(channel) }
    }

    private final class Relay: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let peer: any Channel
        init(peer: any Channel) { self.peer = peer }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            peer.writeAndFlush(data, promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            peer.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

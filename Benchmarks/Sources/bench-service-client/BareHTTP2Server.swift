import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// The floor under every server built on swift-nio-http2: a bare NIO HTTP/2 server that echoes
/// the request body from a channel handler, with no Hummingbird, no ServiceKit, no JSON, no
/// identity check and no task per request.
///
/// Whatever `h2load` gets out of it over one connection bounds what any ServiceKit server can
/// reach on this machine: NIO serves one connection on one event loop, so its per-stream work
/// (frame parsing, HPACK, the stream child channel) runs on one core. Shaped like
/// swift-nio-http2's own `NIOHTTP2Server` example, answering in the same tick.
enum BareHTTP2Server {
    static func run(port: Int) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.configureHTTP2Pipeline(mode: .server) { stream in
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                        try stream.pipeline.syncOperations.addHandler(BareEchoHandler())
                    }
                }.map { _ in }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        try await channel.closeFuture.get()
    }
}

/// Answers each request on its stream with its own body as `application/json`.
final class BareEchoHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var body = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "content-length", value: String(body.readableBytes))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http2, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

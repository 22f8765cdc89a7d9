import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// The floor under any reverse proxy built on swift-nio-http2: h2c in, h2c out, nothing else.
///
/// Each client connection gets its own upstream connection on the same event loop. A request's
/// HEADERS frame opens a stream upstream carrying the same header block plus a fixed
/// `X-Apex-Identity` (as nginx's `proxy_set_header` does in this benchmark); the answer's frames
/// are written back as they arrive. No Hummingbird, no ServiceKit, no task, no token check, no
/// rate limit, no thread hop; flushes are held while the other connection's read is handled
/// (`RelayFlushes`), so a read that brings 64 answers leaves as one write.
///
/// It forwards header-only requests (the benchmark's GET) and answers anything with a body 501:
/// it exists to measure what the stack itself costs per proxied request on this machine, which
/// bounds what apex-gateway, doing all of that on top, can reach (Benchmarks/Gateway/README.md).
enum BareHTTP2Relay {
    static func run(port: Int, upstreamPort: Int, identity: String) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { client in
                ClientBootstrap(group: client.eventLoop)
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer { upstream in
                        upstream.eventLoop.makeCompletedFuture {
                            try upstream.pipeline.syncOperations.addHandler(RelayFlushes())
                            _ = try upstream.pipeline.syncOperations.configureHTTP2Pipeline(
                                mode: .client, connectionConfiguration: .init(), streamConfiguration: .init()
                            ) { stream in stream.eventLoop.makeSucceededVoidFuture() }
                        }
                    }
                    .connect(host: "127.0.0.1", port: upstreamPort)
                    .flatMapThrowing { upstream in
                        let operations = client.pipeline.syncOperations
                        let upstreamFlushes = try upstream.pipeline.syncOperations.handler(type: RelayFlushes.self)
                        let clientFlushes = RelayFlushes()
                        clientFlushes.pair(with: upstreamFlushes)
                        let streams = try upstream.pipeline.syncOperations.handler(type: NIOHTTP2Handler.self).syncMultiplexer()
                        try operations.addHandler(clientFlushes)
                        _ = try operations.configureHTTP2Pipeline(
                            mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()
                        ) { stream in
                            stream.eventLoop.makeCompletedFuture {
                                try stream.pipeline.syncOperations.addHandler(RelayedRequest(upstream: streams, identity: identity))
                            }
                        }
                        client.closeFuture.whenComplete { _ in upstream.close(promise: nil) }
                        upstream.closeFuture.whenComplete { _ in client.close(promise: nil) }
                    }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        try await channel.closeFuture.get()
    }
}

/// A client's stream: opens the upstream stream on its HEADERS and hands it the header block.
final class RelayedRequest: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let upstream: NIOHTTP2Handler.StreamMultiplexer
    private let identity: String

    init(upstream: NIOHTTP2Handler.StreamMultiplexer, identity: String) {
        self.upstream = upstream
        self.identity = identity
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .headers(let request) = unwrapInboundIn(data) else { return }
        guard request.endStream else {
            let answer = HPACKHeaders([(":status", "501"), ("content-length", "0")])
            context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: answer, endStream: true))), promise: nil)
            return
        }
        var headers = request.headers
        headers.add(name: "x-apex-identity", value: identity)
        let downstream = context.channel
        upstream.createStreamChannel(promise: nil) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(RelayedAnswer(request: headers, downstream: .http2Stream(downstream)))
            }
        }
    }
}

/// Where a relayed answer goes: the client's h2 stream, frame for frame, or the client's HTTP/1.1
/// connection (`BareHTTP1Relay`), as a response head and body.
enum RelayDownstream {
    case http2Stream(any Channel)
    case http1Connection(any Channel)
}

/// The upstream stream: sends the request when it opens, passes the answer back to the client as
/// it comes.
final class RelayedAnswer: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let request: HPACKHeaders
    private let downstream: RelayDownstream
    private var sent = false
    /// HTTP/1.1 only: whether the response head, and the response's end, went to the client.
    private var headSent = false
    private var ended = false

    init(request: HPACKHeaders, downstream: RelayDownstream) {
        self.request = request
        self.downstream = downstream
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { send(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.fireChannelActive()
    }

    private func send(context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: request, endStream: true))), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch downstream {
        case .http2Stream(let client):
            switch frame {
            case .headers(let answer):
                client.write(HTTP2Frame.FramePayload.headers(answer), promise: nil)
                if answer.endStream { client.flush() }
            case .data(let part):
                client.write(HTTP2Frame.FramePayload.data(part), promise: nil)
                if part.endStream { client.flush() }
            default:
                break
            }
        case .http1Connection(let client):
            switch frame {
            case .headers(let answer) where !headSent:
                headSent = true
                client.write(HTTPServerResponsePart.head(BareHTTP1Relay.responseHead(answer.headers)), promise: nil)
                if answer.endStream { end(client) }
            case .headers(let trailers):
                // Trailers: HTTP/1.1 without chunking has no place for them; they only end the body.
                if trailers.endStream { end(client) }
            case .data(let part):
                if case .byteBuffer(let bytes) = part.data, bytes.readableBytes > 0 {
                    client.write(HTTPServerResponsePart.body(.byteBuffer(bytes)), promise: nil)
                }
                if part.endStream { end(client) }
            default:
                break
            }
        }
    }

    private func end(_ client: any Channel) {
        ended = true
        client.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
    }

    /// The upstream stream has closed: so does the client's stream. An HTTP/1.1 connection stays
    /// open for its next request, unless this answer did not end: then nothing can follow it.
    func channelInactive(context: ChannelHandlerContext) {
        switch downstream {
        case .http2Stream(let client): client.close(promise: nil)
        case .http1Connection(let client) where !ended: client.close(promise: nil)
        case .http1Connection: break
        }
        context.fireChannelInactive()
    }
}

/// Holds a connection's flushes while its partner connection's read is being handled, then
/// flushes once: what one read of the partner causes leaves in one write.
final class RelayFlushes: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer

    private var partner: RelayFlushes?
    private var context: ChannelHandlerContext?
    private var held = false
    private var pending = false

    func pair(with other: RelayFlushes) {
        partner = other
        other.partner = self
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func flush(context: ChannelHandlerContext) {
        if held { pending = true } else { context.flush() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.held = true
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        partner?.release()
    }

    private func release() {
        held = false
        guard pending else { return }
        pending = false
        context?.flush()
    }
}

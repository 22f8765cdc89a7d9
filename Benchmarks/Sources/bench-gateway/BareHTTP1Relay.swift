import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import ServiceKit

/// The HTTP/1.1 floor under any reverse proxy on this stack that calls its backends over HTTP/2,
/// as the architecture asks: HTTP/1.1 in, h2c out, nothing else.
///
/// Like apex-gateway, it keeps one multiplexed h2c connection to the backend per event loop, and a
/// client connection's requests go out on its own loop's connection, the streams opened in one
/// turn of the loop flushed together (ServiceKit's `FlushCoalescer`, as the gateway does). A request's
/// head becomes the upstream stream's header block (`:method`, `:scheme`, `:path`, `:authority`
/// from `Host`, the other fields as they are) plus a fixed `X-Apex-Identity`; the answer's HEADERS
/// become the response head, its DATA the body. No Hummingbird, nothing of ServiceKit but the flush
/// batching, no task, no token check, no rate limit, no thread hop. It forwards body-less requests (the benchmark's GET) and
/// answers anything with a body 501: it exists to measure what the stack itself costs per proxied
/// HTTP/1.1 request on this machine (Benchmarks/Gateway/README.md).
enum BareHTTP1Relay {
    static func run(port: Int, upstreamPort: Int, identity: String) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        var upstreams: [ObjectIdentifier: NIOLoopBound<NIOHTTP2Handler.StreamMultiplexer>] = [:]
        for loop in group.makeIterator() {
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { upstream in
                    upstream.eventLoop.makeCompletedFuture {
                        try upstream.pipeline.syncOperations.addHandler(FlushCoalescer())
                        _ = try upstream.pipeline.syncOperations.configureHTTP2Pipeline(
                            mode: .client, connectionConfiguration: .init(), streamConfiguration: .init()
                        ) { stream in stream.eventLoop.makeSucceededVoidFuture() }
                    }
                }
                .connect(host: "127.0.0.1", port: upstreamPort)
                .get()
            upstreams[ObjectIdentifier(loop)] = try await loop.submit {
                NIOLoopBound(
                    try channel.pipeline.syncOperations.handler(type: NIOHTTP2Handler.self).syncMultiplexer(), eventLoop: loop)
            }.get()
        }
        let multiplexers = upstreams
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { client in
                client.eventLoop.makeCompletedFuture {
                    // Every loop of the group has its connection (made above).
                    guard let upstream = multiplexers[ObjectIdentifier(client.eventLoop)]?.value else {
                        throw ChannelError.inappropriateOperationForState
                    }
                    try client.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: false)
                    try client.pipeline.syncOperations.addHandler(RelayedHTTP1Request(upstream: upstream, identity: identity))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        try await channel.closeFuture.get()
    }
}

/// A client connection: each complete request opens an upstream stream carrying its header block.
final class RelayedHTTP1Request: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let upstream: NIOHTTP2Handler.StreamMultiplexer
    private let identity: String
    private var head: HTTPRequestHead?
    private var hasBody = false

    init(upstream: NIOHTTP2Handler.StreamMultiplexer, identity: String) {
        self.upstream = upstream
        self.identity = identity
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
            hasBody = false
        case .body:
            hasBody = true
        case .end:
            guard let request = head else { return }
            head = nil
            guard !hasBody else {
                let answer = HTTPResponseHead(version: .http1_1, status: .notImplemented, headers: ["content-length": "0"])
                context.write(wrapOutboundOut(.head(answer)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                return
            }
            var headers = HPACKHeaders()
            headers.reserveCapacity(request.headers.count + 5)
            headers.add(name: ":method", value: request.method.rawValue)
            headers.add(name: ":scheme", value: "http")
            headers.add(name: ":path", value: request.uri)
            headers.add(name: ":authority", value: request.headers.first(name: "host") ?? "127.0.0.1")
            for (name, value) in request.headers {
                switch name.lowercased() {
                case "host", "connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection": continue
                default: headers.add(name: name.lowercased(), value: value)
                }
            }
            headers.add(name: "x-apex-identity", value: identity)
            let downstream = context.channel
            upstream.createStreamChannel(promise: nil) { stream in
                stream.eventLoop.makeCompletedFuture {
                    try stream.pipeline.syncOperations.addHandler(RelayedAnswer(request: headers, downstream: .http1Connection(downstream)))
                }
            }
        }
    }
}

extension BareHTTP1Relay {
    /// An upstream answer's header block as an HTTP/1.1 response head.
    static func responseHead(_ headers: HPACKHeaders) -> HTTPResponseHead {
        var head = HTTPResponseHead(version: .http1_1, status: .ok)
        head.headers.reserveCapacity(headers.count)
        for (name, value, _) in headers {
            if name == ":status" {
                head.status = HTTPResponseStatus(statusCode: Int(value) ?? 502)
            } else if !name.hasPrefix(":") {
                head.headers.add(name: name, value: value)
            }
        }
        return head
    }
}

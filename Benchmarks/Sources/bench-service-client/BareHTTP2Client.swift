import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// The floor under every client built on swift-nio-http2: `concurrency` streams on one h2c
/// connection, each sending the next small JSON echo from a channel handler as soon as the
/// previous answer arrived, with no ServiceKit, no task, no JSON coding and no deadline timer.
///
/// Against ``BareHTTP2Server`` this is what two processes speaking HTTP/2 to each other over
/// one connection can reach on this machine at all; against the ServiceKit server it isolates
/// the server's cost with a Swift client in front of it.
enum BareHTTP2Client {
    static func run(port: Int, options: BenchmarkOptions, serverCPU: ProcessCPU?) async throws -> LoadResult {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let connection = try await ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let multiplexer = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .client, connectionConfiguration: .init(), streamConfiguration: .init()
                    ) { stream in stream.eventLoop.makeSucceededVoidFuture() }
                    return (channel, multiplexer)
                }
            }
        let body = ByteBuffer(
            string: #"{"message":"hello from the service client benchmark","sequence":1,"tags":["alpha","beta","gamma"]}"#)
        let token = BenchmarkIdentity.token()
        let measureFrom = NIODeadline.now() + .nanoseconds(Int64(options.warmup / .nanoseconds(1)))
        let end = measureFrom + .nanoseconds(Int64(options.duration / .nanoseconds(1)))
        let ownCPU = ProcessCPU.current

        let loop = BareLoad(
            multiplexer: connection.1, eventLoop: eventLoop, body: body, token: token, port: port,
            measureFrom: measureFrom, end: end)
        let windowStart = eventLoop.scheduleTask(deadline: measureFrom) {
            (ownCPU.seconds() ?? 0, serverCPU?.seconds(), MachineCPU.busySeconds())
        }
        let windowEnd = eventLoop.scheduleTask(deadline: end) {
            (ownCPU.seconds() ?? 0, serverCPU?.seconds(), MachineCPU.busySeconds())
        }
        try await eventLoop.submit { for _ in 0..<options.concurrency { loop.startCall() } }.get()
        let before = try await windowStart.futureResult.get()
        let after = try await windowEnd.futureResult.get()
        let outcome = try await loop.finished.futureResult.get()
        try? await connection.0.close()

        let client = after.0 - before.0
        let server = before.1.flatMap { start in after.1.map { $0 - start } }
        let machine = before.2.flatMap { start in after.2.map { $0 - start } }
        let seconds = Double(options.duration.components.seconds) + Double(options.duration.components.attoseconds) / 1e18
        return LoadResult(
            concurrency: options.concurrency, seconds: seconds, latency: LatencySummary(nanoseconds: outcome.latencies),
            errors: outcome.errors, wrongAnswers: 0, firstError: outcome.firstError,
            clientCPU: client, serverCPU: server, otherCPU: machine.map { max(0, $0 - client - (server ?? 0)) })
    }
}

/// The closed loop, confined to the connection's event loop.
final class BareLoad: @unchecked Sendable {
    struct Outcome: Sendable {
        var latencies: [Int64] = []
        var errors = 0
        var firstError: String?
    }

    let finished: EventLoopPromise<Outcome>
    private let multiplexer: NIOHTTP2Handler.StreamMultiplexer
    private let eventLoop: any EventLoop
    private let head: HTTPRequestHead
    private let body: ByteBuffer
    private let measureFrom: NIODeadline
    private let end: NIODeadline
    private var outcome = Outcome()
    private var inFlight = 0

    init(
        multiplexer: NIOHTTP2Handler.StreamMultiplexer, eventLoop: any EventLoop, body: ByteBuffer, token: String, port: Int,
        measureFrom: NIODeadline, end: NIODeadline
    ) {
        self.multiplexer = multiplexer
        self.eventLoop = eventLoop
        self.body = body
        self.measureFrom = measureFrom
        self.end = end
        self.finished = eventLoop.makePromise()
        var headers = HTTPHeaders()
        headers.add(name: "host", value: "127.0.0.1:\(port)")
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.readableBytes))
        headers.add(name: "x-apex-identity", value: token)
        self.head = HTTPRequestHead(version: .http1_1, method: .POST, uri: EchoServer.echoPath, headers: headers)
        outcome.latencies.reserveCapacity(1 << 20)
    }

    func startCall() {
        eventLoop.preconditionInEventLoop()
        let begin = NIODeadline.now()
        guard begin < end else {
            if inFlight == 0 { finished.succeed(outcome) }
            return
        }
        inFlight += 1
        let head = self.head
        let body = self.body
        let done: @Sendable (Result<Void, any Error>) -> Void = { [self] result in
            inFlight -= 1
            switch result {
            case .success:
                if begin >= measureFrom { outcome.latencies.append((NIODeadline.now() - begin).nanoseconds) }
            case .failure(let error):
                outcome.errors += 1
                if outcome.firstError == nil { outcome.firstError = String(describing: error) }
            }
            startCall()
        }
        multiplexer.createStreamChannel(promise: nil) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .http))
                try stream.pipeline.syncOperations.addHandler(BareExchange(head: head, body: body, done: done))
            }
        }
    }
}

/// One request on one stream: written when the stream opens, done at the answer's end.
final class BareExchange: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let body: ByteBuffer
    private var done: ((Result<Void, any Error>) -> Void)?
    private var status: HTTPResponseStatus?
    private var started = false

    init(head: HTTPRequestHead, body: ByteBuffer, done: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        self.head = head
        self.body = body
        self.done = done
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { send(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.fireChannelActive()
    }

    private func send(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response): status = response.status
        case .body: break
        case .end:
            let ok = status == .ok
            complete(ok ? .success(()) : .failure(OptionError("status \(status.map { "\($0.code)" } ?? "none")")))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(.failure(OptionError("stream closed before the answer")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        complete(.failure(error))
        context.close(promise: nil)
    }

    private func complete(_ result: Result<Void, any Error>) {
        guard let done else { return }
        self.done = nil
        done(result)
    }
}

import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import Synchronization

/// A bare HTTP/2 server that treats each stream as a script says: answer it, refuse it with
/// `RST_STREAM`, or send GOAWAY naming it and answer it after a delay, as a server in graceful
/// shutdown does. It counts connections and streams, so a test can tell whether a client retried
/// and on which connection.
final class ScriptedHTTP2Server: Sendable {
    enum Action: Sendable {
        /// 200 with the request's method as the body.
        case answer
        /// `RST_STREAM` with this code, before answering.
        case reset(HTTP2ErrorCode)
        /// GOAWAY naming this stream as the last one, then the answer after `delay`; the
        /// connection stays open until it closes.
        case goAwayThenAnswer(after: TimeAmount)
    }

    struct Counts: Sendable, Equatable {
        var connections = 0
        var streams = 0
    }

    private let script: @Sendable (_ streamNumber: Int) -> Action
    private let counts = Mutex(Counts())
    private let channel: Mutex<(any Channel)?> = Mutex(nil)

    /// `script` gets the 1-based number of the stream over the server's life.
    init(script: @escaping @Sendable (_ streamNumber: Int) -> Action) {
        self.script = script
    }

    var seen: Counts { counts.withLock { $0 } }

    /// Starts listening on an ephemeral port and returns it.
    func start() async throws -> Int {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] connection in
                counts.withLock { $0.connections += 1 }
                return connection.configureHTTP2Pipeline(mode: .server) { [self] stream in
                    let number = counts.withLock { counts in
                        counts.streams += 1
                        return counts.streams
                    }
                    return stream.pipeline.addHandler(ScriptedStream(action: script(number)))
                }.map { _ in }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        channel.withLock { $0 = server }
        return server.localAddress!.port!
    }

    func stop() async {
        let server = channel.withLock { $0 }
        try? await server?.close()
    }
}

/// One stream of ``ScriptedHTTP2Server``: waits for the request's end, then acts.
private final class ScriptedStream: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let action: ScriptedHTTP2Server.Action
    private var method = "?"

    init(action: ScriptedHTTP2Server.Action) {
        self.action = action
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var ended = false
        switch unwrapInboundIn(data) {
        case .headers(let headers):
            method = headers.headers.first(name: ":method") ?? "?"
            ended = headers.endStream
        case .data(let data):
            ended = data.endStream
        default:
            break
        }
        guard ended else { return }
        switch action {
        case .answer:
            answer(context: context)
        case .reset(let code):
            context.writeAndFlush(wrapOutboundOut(.rstStream(code)), promise: nil)
        case .goAwayThenAnswer(let delay):
            let streamID = try! context.channel.syncOptions!.getOption(HTTP2StreamChannelOptions.streamID)
            context.channel.parent!.writeAndFlush(
                HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: streamID, errorCode: .noError, opaqueData: nil)),
                promise: nil)
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: delay) {
                let (stream, context) = bound.value
                stream.answer(context: context)
            }
        }
    }

    private func answer(context: ChannelHandlerContext) {
        let body = ByteBuffer(string: method)
        let headers = HPACKHeaders([(":status", "200"), ("content-length", String(body.readableBytes))])
        context.write(wrapOutboundOut(.headers(.init(headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.data(.init(data: .byteBuffer(body), endStream: true))), promise: nil)
    }
}

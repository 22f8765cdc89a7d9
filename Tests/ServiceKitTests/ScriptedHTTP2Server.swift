import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import Synchronization

/// A bare HTTP/2 server that treats each stream as a script says: answer it, refuse it with
/// `RST_STREAM`, or send GOAWAY naming it and answer it after a delay, as a server in graceful
/// shutdown does. It counts connections and streams, so a test can tell whether a client retried
/// and on which connection, and records the frames each stream received.
final class ScriptedHTTP2Server: Sendable {
    enum Action: Sendable {
        /// 200 with the request's method as the body.
        case answer
        /// `RST_STREAM` with this code, before answering.
        case reset(HTTP2ErrorCode)
        /// `RST_STREAM` with this code after `delay`.
        case resetAfter(TimeAmount, HTTP2ErrorCode)
        /// Nothing, ever: a backend that hangs.
        case hang
        /// GOAWAY naming this stream as the last one, then the answer after `delay`; the
        /// connection stays open until it closes.
        case goAwayThenAnswer(after: TimeAmount)
        /// 103 Early Hints, then 200 with the body `"a"`, `"b"` in two DATA frames, then trailers
        /// carrying END_STREAM: every frame an answer may have.
        case answerInParts
        /// A HEADERS frame without `:status`, ending the stream.
        case answerWithoutStatus
    }

    struct Counts: Sendable, Equatable {
        var connections = 0
        var streams = 0
    }

    private let script: @Sendable (_ streamNumber: Int) -> Action
    private let counts = Mutex(Counts())
    private let framesLog = Mutex([[String]]())
    private let blocksLog = Mutex([HPACKHeaders]())
    private let channel: Mutex<(any Channel)?> = Mutex(nil)

    /// `script` gets the 1-based number of the stream over the server's life.
    init(script: @escaping @Sendable (_ streamNumber: Int) -> Action) {
        self.script = script
    }

    var seen: Counts { counts.withLock { $0 } }

    /// The frames each stream received, in stream order: `HEADERS`, `DATA`, with `+END` when the
    /// frame carried END_STREAM.
    var framesReceived: [[String]] { framesLog.withLock { $0 } }

    /// Every header block received, in order of arrival.
    var headerBlocksReceived: [HPACKHeaders] { blocksLog.withLock { $0 } }

    /// Starts listening on an ephemeral port and returns it.
    func start() async throws -> Int {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] connection in
                counts.withLock { $0.connections += 1 }
                // Header blocks unchecked: a script may send a malformed one on purpose.
                var unchecked = NIOHTTP2Handler.ConnectionConfiguration()
                unchecked.headerBlockValidation = .disabled
                return connection.configureHTTP2Pipeline(
                    mode: .server, connectionConfiguration: unchecked, streamConfiguration: .init()
                ) { [self] stream in
                    let number = counts.withLock { counts in
                        counts.streams += 1
                        return counts.streams
                    }
                    framesLog.withLock { $0.append([]) }
                    let record: @Sendable (String) -> Void = { [self] frame in framesLog.withLock { $0[number - 1].append(frame) } }
                    let recordBlock: @Sendable (HPACKHeaders) -> Void = { [self] block in blocksLog.withLock { $0.append(block) } }
                    return stream.pipeline.addHandler(ScriptedStream(action: script(number), record: record, recordBlock: recordBlock))
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
    private let record: @Sendable (String) -> Void
    private let recordBlock: @Sendable (HPACKHeaders) -> Void
    private var method = "?"

    init(
        action: ScriptedHTTP2Server.Action, record: @escaping @Sendable (String) -> Void,
        recordBlock: @escaping @Sendable (HPACKHeaders) -> Void
    ) {
        self.action = action
        self.record = record
        self.recordBlock = recordBlock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var ended = false
        switch unwrapInboundIn(data) {
        case .headers(let headers):
            method = headers.headers.first(name: ":method") ?? "?"
            ended = headers.endStream
            record(ended ? "HEADERS+END" : "HEADERS")
            recordBlock(headers.headers)
        case .data(let data):
            ended = data.endStream
            record(ended ? "DATA+END" : "DATA")
        default:
            break
        }
        guard ended else { return }
        switch action {
        case .answer:
            answer(context: context)
        case .reset(let code):
            context.writeAndFlush(wrapOutboundOut(.rstStream(code)), promise: nil)
        case .resetAfter(let delay, let code):
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: delay) {
                let (stream, context) = bound.value
                context.writeAndFlush(stream.wrapOutboundOut(.rstStream(code)), promise: nil)
            }
        case .hang:
            break
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
        case .answerInParts:
            context.write(wrapOutboundOut(.headers(.init(headers: [":status": "103", "link": "</a>; rel=preload"]))), promise: nil)
            context.write(wrapOutboundOut(.headers(.init(headers: [":status": "200"]))), promise: nil)
            context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer(string: "a"))))), promise: nil)
            context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer(string: "b"))))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: ["checksum": "ab"], endStream: true))), promise: nil)
        case .answerWithoutStatus:
            context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: ["content-length": "0"], endStream: true))), promise: nil)
        }
    }

    private func answer(context: ChannelHandlerContext) {
        let body = ByteBuffer(string: method)
        let headers = HPACKHeaders([(":status", "200"), ("content-length", String(body.readableBytes))])
        context.write(wrapOutboundOut(.headers(.init(headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.data(.init(data: .byteBuffer(body), endStream: true))), promise: nil)
    }
}

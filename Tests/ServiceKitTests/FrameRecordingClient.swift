import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix

/// A bare HTTP/2 client that sends one request on a connection of its own and records the frames
/// of the answer, so a test can check what a server writes on the wire, not only what a client
/// library makes of it.
enum FrameRecordingClient {
    /// The answer's frames, in order: `HEADERS`, `DATA`, with `+END` when the frame carried
    /// END_STREAM, or `RST_STREAM` and its error code's number.
    static func answerFrames(
        port: Int, request: HPACKHeaders, body: ByteBuffer? = nil, trailers: HPACKHeaders? = nil
    ) async throws -> [String] {
        let connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        defer { connection.close(promise: nil) }
        // Without NIOHTTP2's validation of the blocks it sends, so a test can send a malformed
        // one and see what the server does with it.
        var configuration = NIOHTTP2Handler.ConnectionConfiguration()
        configuration.headerBlockValidation = .disabled
        let multiplexer = try await connection.eventLoop.submit {
            try connection.pipeline.syncOperations.configureHTTP2Pipeline(
                mode: .client, connectionConfiguration: configuration, streamConfiguration: .init()
            ) { $0.eventLoop.makeSucceededVoidFuture() }
        }.get()
        let answered = connection.eventLoop.makePromise(of: [String].self)
        let opened = connection.eventLoop.makePromise(of: (any Channel).self)
        multiplexer.createStreamChannel(promise: opened) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(
                    Recorder(request: request, body: body, trailers: trailers, answered: answered))
            }
        }
        opened.futureResult.whenFailure { answered.fail($0) }
        return try await answered.futureResult.get()
    }

    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = HTTP2Frame.FramePayload
        typealias OutboundOut = HTTP2Frame.FramePayload

        let request: HPACKHeaders
        let body: ByteBuffer?
        let trailers: HPACKHeaders?
        let answered: EventLoopPromise<[String]>
        var frames: [String] = []

        init(request: HPACKHeaders, body: ByteBuffer?, trailers: HPACKHeaders?, answered: EventLoopPromise<[String]>) {
            self.request = request
            self.body = body
            self.trailers = trailers
            self.answered = answered
        }

        func channelActive(context: ChannelHandlerContext) {
            context.write(wrapOutboundOut(.headers(.init(headers: request, endStream: body == nil && trailers == nil))), promise: nil)
            if let body {
                context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(body), endStream: trailers == nil))), promise: nil)
            }
            if let trailers { context.write(wrapOutboundOut(.headers(.init(headers: trailers, endStream: true))), promise: nil) }
            context.flush()
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let ended: Bool
            switch unwrapInboundIn(data) {
            case .headers(let block):
                ended = block.endStream
                frames.append(ended ? "HEADERS+END" : "HEADERS")
            case .data(let data):
                ended = data.endStream
                frames.append(ended ? "DATA+END" : "DATA")
            case .rstStream(let code):
                ended = true
                frames.append("RST_STREAM \(code.networkCode)")
            default:
                return
            }
            if ended { answered.succeed(frames) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            answered.fail(ChannelError.ioOnClosedChannel)
            context.fireChannelInactive()
        }
    }
}

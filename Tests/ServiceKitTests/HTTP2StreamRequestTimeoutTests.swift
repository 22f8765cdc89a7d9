import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import ServiceKit

/// The wait for the rest of a request on one HTTP/2 stream (`HTTP2StreamResponder`), on an
/// embedded channel with a controlled clock: a request that stalls has its stream closed after the
/// timeout, while one that keeps sending is never cut off. The timer is armed only after a batch
/// of reads that left the request unfinished.
@Suite("HTTP/2 stream request timeout")
struct HTTP2StreamRequestTimeoutTests {
    static let timeout = TimeAmount.milliseconds(100)

    func makeStream() throws -> EmbeddedChannel {
        let router = Router(context: ApexRequestContext.self)
        let responder = ApexResponder(router.buildResponder(), logger: Logger(label: "test"), serverName: nil)
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            HTTP2StreamResponder(
                responder: responder, maxBodyBytes: 1 << 20,
                deadlines: HTTP2StreamResponder.requestDeadlines(on: channel.embeddedEventLoop),
                answers: NIOLoopBound(InlineAnswerFlusher(), eventLoop: channel.embeddedEventLoop), requestTimeout: Self.timeout))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        #expect(channel.isActive)
        return channel
    }

    static let head = HTTP2Frame.FramePayload.headers(
        .init(headers: HPACKHeaders([(":method", "POST"), (":scheme", "http"), (":authority", "test"), (":path", "/api/v1/x")])))

    @Test func aStreamWhoseRequestStallsIsClosedAfterTheTimeout() throws {
        let stream = try makeStream()
        try stream.writeInbound(Self.head)
        stream.pipeline.fireChannelReadComplete()
        stream.embeddedEventLoop.advanceTime(by: .milliseconds(90))
        #expect(stream.isActive)
        stream.embeddedEventLoop.advanceTime(by: .milliseconds(20))
        #expect(!stream.isActive)
    }

    @Test func aBodyThatKeepsArrivingIsNotCutOff() throws {
        let stream = try makeStream()
        try stream.writeInbound(Self.head)
        stream.pipeline.fireChannelReadComplete()
        for _ in 0..<5 {
            stream.embeddedEventLoop.advanceTime(by: .milliseconds(70))
            try stream.writeInbound(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer(string: "part")))))
            stream.pipeline.fireChannelReadComplete()
        }
        // 350 ms since the head, never 100 ms of silence.
        #expect(stream.isActive)
        stream.embeddedEventLoop.advanceTime(by: .milliseconds(110))
        #expect(!stream.isActive)
    }

    @Test func noTimerIsArmedBeforeTheFirstBatchOfReadsEnds() throws {
        let stream = try makeStream()
        // A read without its read-complete (`writeInbound` sends both): still inside the batch of
        // reads, so nothing is scheduled yet.
        stream.pipeline.fireChannelRead(Self.head)
        stream.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(stream.isActive)
        stream.pipeline.fireChannelReadComplete()
        stream.embeddedEventLoop.advanceTime(by: .milliseconds(110))
        #expect(!stream.isActive)
    }
}

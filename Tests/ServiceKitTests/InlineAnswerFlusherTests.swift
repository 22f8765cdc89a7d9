import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import ServiceKit

/// `InlineAnswerFlusher`: answers written inside one read leave in groups of `groupSize`, and a
/// read's end starts the count again (NIOHTTP2 flushes what is left there). The last test runs the
/// whole server pipeline (`HTTP2StreamServer`) on one read carrying many requests.
@Suite("Inline answers flushed in groups")
struct InlineAnswerFlusherTests {
    func outbound(_ channel: EmbeddedChannel) throws -> Int {
        var count = 0
        while try channel.readOutbound(as: ByteBuffer.self) != nil { count += 1 }
        return count
    }

    /// Writes `count` answers without flushing them, as streams do inside a read.
    func answer(_ count: Int, on channel: EmbeddedChannel, _ flusher: InlineAnswerFlusher) {
        for _ in 0..<count {
            channel.write(ByteBuffer(string: "answer"), promise: nil)
            flusher.answerWritten()
        }
    }

    @Test func everyGroupOfAnswersLeavesAsSoonAsItIsComplete() throws {
        let flusher = InlineAnswerFlusher()
        let channel = EmbeddedChannel(handler: flusher)
        let group = InlineAnswerFlusher.groupSize
        answer(group - 1, on: channel, flusher)
        #expect(try outbound(channel) == 0, "held until the group is complete")
        answer(1, on: channel, flusher)
        #expect(try outbound(channel) == group)
        answer(group + 1, on: channel, flusher)
        #expect(try outbound(channel) == group, "the next group, not the one answer after it")
        _ = try channel.finish()
    }

    @Test func aReadsEndStartsTheCountAgain() throws {
        let flusher = InlineAnswerFlusher()
        let channel = EmbeddedChannel(handler: flusher)
        let group = InlineAnswerFlusher.groupSize
        answer(group - 1, on: channel, flusher)
        channel.pipeline.fireChannelReadComplete()
        channel.flush()  // what NIOHTTP2Handler does at the end of a read
        #expect(try outbound(channel) == group - 1)
        answer(group - 1, on: channel, flusher)
        #expect(try outbound(channel) == 0, "a new read's count starts from zero")
        answer(1, on: channel, flusher)
        #expect(try outbound(channel) == group)
        _ = try channel.finish()
    }

    /// Many requests in one read, answered inline through the real HTTP/2 pipeline: each complete
    /// group of answers leaves while the read is still being handled; fewer than a group wait for
    /// the read's end. A read with one request is the baseline: whatever NIOHTTP2 itself flushes
    /// inside a read (nothing, with this version) is counted there too.
    @Test func answersLeaveWhileTheReadIsHandled() throws {
        let group = InlineAnswerFlusher.groupSize
        let one = try flushes(answering: 1)
        let fewerThanAGroup = try flushes(answering: group - 1)
        let twoGroups = try flushes(answering: 2 * group)
        #expect(fewerThanAGroup.insideRead == one.insideRead, "held for the read's end")
        #expect(fewerThanAGroup.afterRead == 1)
        #expect(twoGroups.insideRead == one.insideRead + 2, "each group as soon as it is complete")
        #expect(twoGroups.afterRead == 0, "nothing left for the read's end")
    }

    /// The flushes a server connection makes while it handles one read carrying `requests` GETs,
    /// and after the read's end.
    func flushes(answering requests: Int) throws -> (insideRead: Int, afterRead: Int) {
        let router = Router(context: ApexRequestContext.self)
        router.get("/x") { _, _ in "ok" }
        let responder = ApexResponder(router.buildResponder(), logger: Logger(label: "test"), serverName: nil)
        let server = EmbeddedChannel()
        let counter = ReadAndFlushCounter()
        try server.pipeline.syncOperations.addHandler(counter)
        try HTTP2StreamServer(responder: responder, maxBodyBytes: 1 << 20, idleTimeout: .seconds(75)).configure(server)
        try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        counter.reset()  // the server's SETTINGS, sent as the connection opened

        try server.writeInbound(try Self.clientBytes(requests: requests))
        var answered = 0
        while let written = try server.readOutbound(as: ByteBuffer.self) { answered += written.readableBytes }
        #expect(answered > requests * 9, "every request answered (a HEADERS frame's header alone is 9 bytes)")
        _ = try? server.finish()
        return (counter.flushesInsideRead, counter.flushesAfterRead)
    }

    /// What a client connection sends first: its preface and settings, then `requests` GETs on
    /// streams of their own, all in one buffer.
    static func clientBytes(requests: Int) throws -> ByteBuffer {
        let client = EmbeddedChannel()
        let multiplexer = try client.configureHTTP2Pipeline(mode: .client, inboundStreamInitializer: nil).wait()
        try client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        let request: HPACKHeaders = [":method": "GET", ":scheme": "http", ":authority": "test", ":path": "/x"]
        var streams: [EventLoopFuture<any Channel>] = []
        for _ in 0..<requests {
            let opened = client.eventLoop.makePromise(of: (any Channel).self)
            multiplexer.createStreamChannel(promise: opened) { $0.eventLoop.makeSucceededVoidFuture() }
            streams.append(opened.futureResult)
        }
        client.embeddedEventLoop.run()
        for stream in streams {
            try stream.wait().writeAndFlush(HTTP2Frame.FramePayload.headers(.init(headers: request, endStream: true)), promise: nil)
        }
        client.embeddedEventLoop.run()
        var bytes = ByteBuffer()
        while var part = try client.readOutbound(as: ByteBuffer.self) { bytes.writeBuffer(&part) }
        _ = try? client.finish()
        return bytes
    }

    /// Sits first in the pipeline: counts the flushes that reach the socket while a read is being
    /// handled, and after its end.
    final class ReadAndFlushCounter: ChannelDuplexHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundIn = ByteBuffer
        private var readEnded = false
        private(set) var flushesInsideRead = 0
        private(set) var flushesAfterRead = 0

        func reset() {
            flushesInsideRead = 0
            flushesAfterRead = 0
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            readEnded = false
            context.fireChannelRead(data)
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            readEnded = true
            context.fireChannelReadComplete()
        }

        func flush(context: ChannelHandlerContext) {
            if readEnded { flushesAfterRead += 1 } else { flushesInsideRead += 1 }
            context.flush()
        }
    }
}

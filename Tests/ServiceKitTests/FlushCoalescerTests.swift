import NIOCore
import NIOEmbedded
import Testing

@testable import ServiceKit

/// `FlushCoalescer`: the flushes of one turn of the event loop reach the socket as one, at the
/// end of the turn; a flush inside `flushingAtOnce` goes through at once.
@Suite("Flush coalescing")
struct FlushCoalescerTests {
    func outbound(_ channel: EmbeddedChannel) throws -> [String] {
        var written: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written.append(String(buffer: buffer)) }
        return written
    }

    @Test func flushesOfOneTurnLeaveTogetherAtItsEnd() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: FlushCoalescer(), loop: loop)
        channel.writeAndFlush(ByteBuffer(string: "a"), promise: nil)
        channel.writeAndFlush(ByteBuffer(string: "b"), promise: nil)
        #expect(try outbound(channel).isEmpty, "held until the queued flush runs")
        loop.run()
        #expect(try outbound(channel) == ["a", "b"])
        // The next turn queues a flush of its own.
        channel.writeAndFlush(ByteBuffer(string: "c"), promise: nil)
        #expect(try outbound(channel).isEmpty)
        loop.run()
        #expect(try outbound(channel) == ["c"])
        _ = try channel.finish()
    }

    @Test func aFlushMarkedAtOnceIsNotHeldBack() throws {
        let loop = EmbeddedEventLoop()
        let coalescer = FlushCoalescer()
        let channel = EmbeddedChannel(handler: coalescer, loop: loop)
        coalescer.flushingAtOnce { channel.writeAndFlush(ByteBuffer(string: "now"), promise: nil) }
        #expect(try outbound(channel) == ["now"])
        channel.writeAndFlush(ByteBuffer(string: "later"), promise: nil)
        #expect(try outbound(channel).isEmpty)
        loop.run()
        #expect(try outbound(channel) == ["later"])
        _ = try channel.finish()
    }
}

import NIOCore
import NIOEmbedded
import Testing

@testable import ServiceKit

/// `InlineAnswerFlusher`: answers written inside one read leave in groups of `groupSize`, and a
/// read's end starts the count again (NIOHTTP2 flushes what is left there).
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
}

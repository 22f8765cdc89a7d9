import NIOCore
import NIOEmbedded
import Testing

@testable import ServiceKit

/// One timer for the deadlines of all the streams of a connection (`StreamDeadlines`), on an
/// embedded event loop with a controlled clock.
@Suite("Stream deadlines")
struct StreamDeadlinesTests {
    final class Waiter {
        let name: String
        init(_ name: String) { self.name = name }
    }

    final class Expired {
        var names: [String] = []
    }

    func makeDeadlines(_ loop: EmbeddedEventLoop, _ expired: Expired) -> StreamDeadlines<Waiter> {
        StreamDeadlines(eventLoop: loop) { expired.names.append($0.name) }
    }

    @Test func eachWaiterExpiresAtItsOwnDeadline() {
        let loop = EmbeddedEventLoop()
        let expired = Expired()
        let deadlines = makeDeadlines(loop, expired)
        let (a, b, c) = (Waiter("a"), Waiter("b"), Waiter("c"))
        deadlines.wait(a, for: .milliseconds(100))
        loop.advanceTime(by: .milliseconds(30))
        deadlines.wait(b, for: .milliseconds(100))
        // An earlier deadline than the timer's: the timer moves forward.
        deadlines.wait(c, for: .milliseconds(20))
        loop.advanceTime(by: .milliseconds(19))
        #expect(expired.names.isEmpty)
        loop.advanceTime(by: .milliseconds(1))
        #expect(expired.names == ["c"])
        loop.advanceTime(by: .milliseconds(50))
        #expect(expired.names == ["c", "a"])
        loop.advanceTime(by: .milliseconds(29))
        #expect(expired.names == ["c", "a"])
        loop.advanceTime(by: .milliseconds(1))
        #expect(expired.names == ["c", "a", "b"])
    }

    @Test func aWaitThatStopsOrRestartsDoesNotExpireMeanwhile() {
        let loop = EmbeddedEventLoop()
        let expired = Expired()
        let deadlines = makeDeadlines(loop, expired)
        let (stopped, restarted) = (Waiter("stopped"), Waiter("restarted"))
        deadlines.wait(stopped, for: .milliseconds(100))
        deadlines.wait(restarted, for: .milliseconds(100))
        loop.advanceTime(by: .milliseconds(60))
        deadlines.stopWaiting(stopped)
        deadlines.wait(restarted, for: .milliseconds(100))
        loop.advanceTime(by: .milliseconds(99))
        #expect(expired.names.isEmpty)
        loop.advanceTime(by: .milliseconds(1))
        #expect(expired.names == ["restarted"])
        loop.advanceTime(by: .seconds(10))
        #expect(expired.names == ["restarted"])
    }

    @Test func nothingExpiresAfterClose() {
        let loop = EmbeddedEventLoop()
        let expired = Expired()
        let deadlines = makeDeadlines(loop, expired)
        let waiter = Waiter("a")
        deadlines.wait(waiter, for: .milliseconds(100))
        deadlines.close()
        loop.advanceTime(by: .seconds(1))
        #expect(expired.names.isEmpty)
    }
}

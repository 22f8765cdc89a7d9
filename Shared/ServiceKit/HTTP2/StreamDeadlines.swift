import NIOCore

/// The deadlines of the streams of one HTTP/2 connection, kept with one timer for the whole
/// connection instead of one per stream.
///
/// Both sides wait on every stream: the server for the rest of a request
/// (``HTTP2StreamResponder``), the service client for the answer to a call (``UpstreamExchange``).
/// A timer per stream cost about 3 % of the CPU per request on each side, scheduling it and then
/// cancelling it (a search through the event loop's queue of timers) when the wait ended in time,
/// which is almost always. The server armed one for nearly every request: NIOHTTP2 ends a batch
/// of reads on a stream as it opens, before the request's DATA frame arrives. Here a wait is an
/// entry in a dictionary, and the one timer fires at the earliest deadline, ends what has
/// expired and re-arms itself for the next.
///
/// Only for use on the connection's event loop; ``close()`` when the connection closes.
final class StreamDeadlines<Waiter: AnyObject> {
    private struct Entry {
        let waiter: Waiter
        let deadline: NIODeadline
    }

    private let eventLoop: any EventLoop
    private let expire: (Waiter) -> Void
    private var entries: [ObjectIdentifier: Entry] = [:]
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    /// `expire` is called on the event loop for each waiter whose deadline passed.
    init(eventLoop: any EventLoop, expire: @escaping (Waiter) -> Void) {
        self.eventLoop = eventLoop
        self.expire = expire
    }

    /// (Re)starts `waiter`'s wait: it expires at `deadline` unless ``stopWaiting(_:)`` first.
    func wait(_ waiter: Waiter, until deadline: NIODeadline) {
        entries[ObjectIdentifier(waiter)] = Entry(waiter: waiter, deadline: deadline)
        if let timerDeadline, timerDeadline <= deadline { return }
        arm(at: deadline)
    }

    /// (Re)starts `waiter`'s wait for `timeout` from now.
    func wait(_ waiter: Waiter, for timeout: TimeAmount) {
        wait(waiter, until: eventLoop.now + timeout)
    }

    func stopWaiting(_ waiter: Waiter) {
        entries.removeValue(forKey: ObjectIdentifier(waiter))
    }

    /// Stops the timer; nothing expires afterwards.
    func close() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        entries.removeAll()
    }

    private func arm(at deadline: NIODeadline) {
        timer?.cancel()
        timerDeadline = deadline
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        timer = eventLoop.scheduleTask(deadline: deadline) { bound.value.fire() }
    }

    private func fire() {
        timer = nil
        timerDeadline = nil
        let now = eventLoop.now
        var expired: [Waiter] = []
        var next: NIODeadline?
        for (key, entry) in entries {
            if entry.deadline <= now {
                expired.append(entry.waiter)
                entries.removeValue(forKey: key)
            } else if next.map({ entry.deadline < $0 }) ?? true {
                next = entry.deadline
            }
        }
        if let next { arm(at: next) }
        for waiter in expired { expire(waiter) }
    }
}

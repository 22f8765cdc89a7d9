public import NIOCore

/// Sends what the streams of one HTTP/2 connection flushed during one turn of its event loop in
/// one system call, instead of one per stream.
///
/// Calls started from tasks reach the event loop one job each, and each job's stream flushes
/// its own frames: a burst of 64 calls became 64 `writev`s. This handler sits below
/// `NIOHTTP2Handler` and turns the first flush of a turn into one flush queued behind the jobs
/// already waiting, which then carries them all. Nothing waits longer than the rest of the
/// current turn.
///
/// It serves both sides: on the service client's connections, and on the server connections of
/// a service whose requests do not start inline (the gateway), where every answer is written
/// from a task in the same way (`HTTP2StreamServer`).
///
/// A call made on the event loop itself (a request being answered inline, `Task.immediate`)
/// flushes at once (``flushingAtOnce(_:)``): there the next process should start on the first
/// request while this one reads the rest. In the gateway with inline starts, batching those
/// calls as well measured slower (Benchmarks/Gateway/README.md, session 9).
///
/// Public for the gateway benchmark's bare relay, which batches its upstream flushes as the
/// gateway does so that it measures the same thing.
public final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    public typealias OutboundIn = NIOAny
    public typealias OutboundOut = NIOAny

    private var flushQueued = false
    private var atOnce = false

    public init() {}

    public func flush(context: ChannelHandlerContext) {
        if atOnce {
            context.flush()
            return
        }
        guard !flushQueued else { return }
        flushQueued = true
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (handler, context) = bound.value
            handler.flushQueued = false
            context.flush()
        }
    }

    /// Runs `body` with every flush it causes passed straight to the socket.
    func flushingAtOnce(_ body: () -> Void) {
        atOnce = true
        defer { atOnce = false }
        body()
    }
}

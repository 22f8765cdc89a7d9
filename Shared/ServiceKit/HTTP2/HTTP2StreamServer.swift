import Logging
import NIOCore
import NIOHTTP2

/// Serves HTTP/2 on a connection whose protocol is known: each stream the client opens gets an
/// ``HTTP2StreamResponder``, which reads the request's frames and writes the answer's
/// (``HTTP2StreamResponseWriter``); the connection gets an ``HTTP2ConnectionLifecycle`` for
/// graceful shutdown and the idle timeout, and an ``InlineAnswerFlusher`` that sends the answers
/// written inside one read in groups.
struct HTTP2StreamServer: Sendable {
    let responder: ApexResponder
    let maxBodyBytes: Int
    let idleTimeout: Duration

    /// Configures `channel`'s pipeline; call on its event loop.
    func configure(_ channel: any Channel) throws {
        let lifecycle = HTTP2ConnectionLifecycle(eventLoop: channel.eventLoop, idleTimeout: .init(idleTimeout))
        let deadlines = HTTP2StreamResponder.requestDeadlines(on: channel.eventLoop)
        let boundDeadlines = NIOLoopBound(deadlines, eventLoop: channel.eventLoop)
        channel.closeFuture.whenComplete { _ in boundDeadlines.value.close() }
        let answers = NIOLoopBound(InlineAnswerFlusher(), eventLoop: channel.eventLoop)
        let responder = self.responder
        let maxBodyBytes = self.maxBodyBytes
        let idleTimeout = self.idleTimeout
        if !responder.startsInline {
            // Answers are written from tasks, one job on the event loop each, and each flushed its
            // own `writev`; batched, the gateway spent about 4 % less CPU per proxied request and
            // the machine's system time fell from 16-18 % to 10-13 % (Benchmarks/Gateway/README.md,
            // session 10). Answers to requests started inline already leave together: NIOHTTP2Handler
            // holds their flushes until the read completes.
            try channel.pipeline.syncOperations.addHandler(FlushCoalescer())
        }
        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server,
            connectionConfiguration: Self.connectionConfiguration,
            streamConfiguration: .init(),
            streamDelegate: lifecycle.streamDelegate
        ) { stream in
            do {
                try stream.pipeline.syncOperations.addHandler(
                    HTTP2StreamResponder(
                        responder: responder, maxBodyBytes: maxBodyBytes, deadlines: boundDeadlines.value,
                        answers: answers, requestTimeout: .init(idleTimeout)))
                // The event loop's one succeeded future, not a new one per stream.
                return stream.eventLoop.makeSucceededVoidFuture()
            } catch {
                return stream.eventLoop.makeFailedFuture(error)
            }
        }
        try channel.pipeline.syncOperations.addHandler(lifecycle)
        try channel.pipeline.syncOperations.addHandler(answers.value)
    }

    /// NIOHTTP2's defaults, less header-block validation: `HTTPRequest(headerBlock:)` checks what
    /// clients send (``HTTP2FieldSyntax``), and the answers are `HTTPFields`, legal by
    /// construction. NIOHTTP2 checked every name and value of both directions byte by byte,
    /// about 6 % of the gateway's CPU per proxied request with a Firebase ID token
    /// (Benchmarks/Gateway/README.md, session 14). Content-length validation stays on.
    static let connectionConfiguration: NIOHTTP2Handler.ConnectionConfiguration = {
        var configuration = NIOHTTP2Handler.ConnectionConfiguration()
        configuration.headerBlockValidation = .disabled
        return configuration
    }()

    /// Returns when the connection has closed; closes it when the task is cancelled (the
    /// server's shutdown timed out).
    func serve(_ channel: any Channel) async {
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}

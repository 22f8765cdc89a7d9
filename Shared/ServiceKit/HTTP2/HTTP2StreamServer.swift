import Logging
import NIOCore
import NIOHTTP2
import NIOHTTPTypesHTTP2

/// Serves HTTP/2 on a connection whose protocol is known: each stream the client opens gets an
/// ``HTTP2StreamResponder`` behind the HTTP/2-to-HTTP-types codec, and the connection an
/// ``HTTP2ConnectionLifecycle`` for graceful shutdown and the idle timeout.
struct HTTP2StreamServer: Sendable {
    let responder: ApexResponder
    let maxBodyBytes: Int
    let idleTimeout: Duration

    /// Configures `channel`'s pipeline; call on its event loop.
    func configure(_ channel: any Channel) throws {
        let lifecycle = HTTP2ConnectionLifecycle(eventLoop: channel.eventLoop, idleTimeout: .init(idleTimeout))
        let responder = self.responder
        let maxBodyBytes = self.maxBodyBytes
        let idleTimeout = self.idleTimeout
        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server,
            connectionConfiguration: .init(),
            streamConfiguration: .init(),
            streamDelegate: lifecycle.streamDelegate
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTPServerCodec())
                try stream.pipeline.syncOperations.addHandler(
                    HTTP2StreamResponder(responder: responder, maxBodyBytes: maxBodyBytes, requestTimeout: .init(idleTimeout)))
            }
        }
        try channel.pipeline.syncOperations.addHandler(lifecycle)
    }

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

public import HummingbirdCore
public import Logging
public import NIOCore

/// Hummingbird's HTTP/1.1 channel, set up when the server starts handling a connection rather
/// than when it accepts it.
///
/// `HTTP1Channel` wraps each connection in a `NIOAsyncChannel` as soon as it is accepted. A
/// connection accepted while the server shuts down is dropped before it is handled, and NIO
/// traps on a dropped `NIOAsyncChannel` that never ran ("Deinited NIOAsyncWriter without calling
/// finish()"): seen in the test suite, where stub servers stop while clients retry. Here the
/// accepted connection only gets a ``ReplayBuffer``; the HTTP/1.1 handlers are added, and the
/// buffered bytes replayed into them, in `handle`.
public struct DeferredHTTP1Channel: ServerChildChannel {
    public struct Value: ServerChildChannelValue {
        public let channel: any Channel
    }

    private let http1: HTTP1Channel

    public init(http1: HTTP1Channel) {
        self.http1 = http1
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ReplayBuffer(), name: ReplayBuffer.name)
            return Value(channel: channel)
        }
    }

    public func handle(value: Value, logger: Logger) async {
        let channel = value.channel
        let http1 = self.http1
        do {
            let connection = try await channel.eventLoop.flatSubmit {
                http1.setup(channel: channel, logger: logger).flatMap { connection in
                    channel.pipeline.removeHandler(name: ReplayBuffer.name).map { connection }
                }
            }.get()
            await http1.handle(value: connection, logger: logger)
        } catch {
            logger.debug("connection closed before it was handled: \(error)")
            _ = try? await channel.close()
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 whose per-connection async channel is made only once the server handles the
    /// connection (see ``DeferredHTTP1Channel``).
    public static func deferredHTTP1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in DeferredHTTP1Channel(http1: HTTP1Channel(responder: responder, configuration: configuration)) }
    }
}

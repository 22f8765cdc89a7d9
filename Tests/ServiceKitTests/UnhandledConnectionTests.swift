import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

@testable import ServiceKit

/// A server that is shutting down can accept a connection and drop it before handling it. NIO
/// traps when a `NIOAsyncChannel` is dropped without having run, which crashed the test process
/// twice (stub servers stopping while clients retried). Our channels make that async channel only
/// when they handle the connection; these drop the connection unhandled and let it run: with an
/// async channel made earlier, the process would trap here.
@Suite("Connections dropped before they are handled")
struct UnhandledConnectionTests {
    let logger = Logger(label: "test")
    let request = ByteBuffer(string: "GET /liveness HTTP/1.1\r\nHost: x\r\n\r\n")

    @Test func deferredHTTP1() throws {
        let channel = EmbeddedChannel()
        let builder = DeferredHTTP1Channel(http1: HTTP1Channel(responder: { _, _, _ in }))
        _ = try builder.setup(channel: channel, logger: logger).wait()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(request)
        _ = try channel.finish()
    }

    @Test(arguments: ["http1", "h2c"])
    func dualProtocol(speaking: String) throws {
        let router = Router(context: ApexRequestContext.self)
        let builder = try DualProtocolChannel(
            responder: { _, _, _ in }, http2Responder: ApexResponder(router.buildResponder(), logger: logger, serverName: nil),
            maxBodyBytes: 1024)
        let channel = EmbeddedChannel()
        _ = try builder.setup(channel: channel, logger: logger).wait()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(speaking == "h2c" ? ByteBuffer(bytes: HTTPProtocolSniffer.preface) : request)
        _ = try channel.finish()
    }

    /// Shutting down before the connection was handled: the quiesce event must close it (no
    /// protocol handler is there yet to act on it), or the server waits for it forever.
    @Test(arguments: [false, true])
    func shutdownClosesAConnectionNotYetHandled(withBytes: Bool) throws {
        let router = Router(context: ApexRequestContext.self)
        let dual = try DualProtocolChannel(
            responder: { _, _, _ in }, http2Responder: ApexResponder(router.buildResponder(), logger: logger, serverName: nil),
            maxBodyBytes: 1024)
        let deferred = DeferredHTTP1Channel(http1: HTTP1Channel(responder: { _, _, _ in }))
        for setUp in [
            { (channel: EmbeddedChannel) in _ = try dual.setup(channel: channel, logger: logger).wait() },
            { (channel: EmbeddedChannel) in _ = try deferred.setup(channel: channel, logger: logger).wait() },
        ] {
            let channel = EmbeddedChannel()
            try setUp(channel)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            if withBytes { try channel.writeInbound(request) }
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            #expect(!channel.isActive)
        }
    }

    /// A sniffer removed before it saw enough bytes to decide must fail its detection: dropped
    /// uncompleted, its promise traps in debug builds (it crashed one CI run's test process).
    @Test func anUndecidedSnifferRemovedFailsItsDetection() throws {
        let channel = EmbeddedChannel()
        let sniffer = HTTPProtocolSniffer(eventLoop: channel.eventLoop)
        try channel.pipeline.syncOperations.addHandler(sniffer, name: HTTPProtocolSniffer.name)
        try channel.writeInbound(ByteBuffer(bytes: HTTPProtocolSniffer.preface.prefix(3)))
        _ = try channel.readInbound(as: ByteBuffer.self)
        let outcome = NIOLockedValueBox<Result<HTTPProtocolSniffer.Detected, any Error>?>(nil)
        sniffer.detection.futureResult.whenComplete { result in outcome.withLockedValue { $0 = result } }
        try channel.pipeline.syncOperations.removeHandler(name: HTTPProtocolSniffer.name).wait()
        channel.embeddedEventLoop.run()
        // Not `wait()`: an uncompleted promise would hang the test instead of failing it.
        let result = try #require(outcome.withLockedValue { $0 }, "the detection was left uncompleted")
        #expect(throws: ChannelError.eof) { try result.get() }
        _ = try channel.finish()
    }

    /// A sniffer that never made it into a pipeline does not leak its promise either.
    @Test func aSnifferNeverAddedFailsItsDetection() {
        let channel = EmbeddedChannel()
        let sniffer = HTTPProtocolSniffer(eventLoop: channel.eventLoop)
        sniffer.failIfUndecided(ChannelError.ioOnClosedChannel)
        #expect(throws: ChannelError.ioOnClosedChannel) { try sniffer.detection.futureResult.wait() }
        sniffer.failIfUndecided(ChannelError.eof)  // a second call changes nothing
        #expect(throws: ChannelError.ioOnClosedChannel) { try sniffer.detection.futureResult.wait() }
    }
}

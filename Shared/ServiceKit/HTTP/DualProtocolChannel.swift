public import HummingbirdCore
public import Logging
public import NIOCore
public import NIOSSL

/// Serves HTTP/1.1 and HTTP/2 on one port.
///
/// Cloud Run with `--use-http2` sends h2c with prior knowledge while its probes and `curl` send
/// HTTP/1.1; Hummingbird's `plaintextHTTP2` answers only the former. This channel sniffs the
/// connection preface (see ``HTTPProtocolSniffer``) and hands the connection to Hummingbird's own
/// `HTTP1Channel`, or to ``HTTP2StreamServer``, which answers each HTTP/2 stream from a channel
/// handler (Hummingbird's `HTTP2Channel` wraps each stream in a `NIOAsyncChannel`, which cost
/// 40 % of the server's CPU per small request). With TLS, the sniffing happens on the decrypted
/// bytes, and ALPN offers `h2` and `http/1.1`.
///
/// A service's ``HTTPShortcut`` (the gateway's) is offered the requests of both protocols: each
/// HTTP/2 stream's by ``HTTP2StreamResponder``, each HTTP/1.1 connection's by
/// ``HTTP1ShortcutHandler``.
///
/// Every request gets the header ``HTTPVersionHeader/name`` set by the server (never by the
/// client) so metrics and handlers can tell which protocol carried it.
public struct DualProtocolChannel: HTTPChannelHandler {
    public struct Value: ServerChildChannelValue {
        let detected: EventLoopFuture<HTTPProtocolSniffer.Detected>
        public let channel: any Channel
    }

    enum Negotiated: Sendable {
        case http1(HTTP1Channel.Value)
        case http2
    }

    private let http1: HTTP1Channel
    private let http2: HTTP2StreamServer
    /// Set when the HTTP/2 responder has an ``HTTPShortcut``: HTTP/1.1 requests are offered to it too.
    private let shortcutResponder: ApexResponder?
    private let sslContext: NIOSSLContext?
    public let responder: Responder

    /// - Parameters:
    ///   - responder: Hummingbird's responder, for HTTP/1.1.
    ///   - http2Responder: the same router, for HTTP/2 streams.
    ///   - maxBodyBytes: the most of a request body an HTTP/2 stream gathers (`MAX_BODY_BYTES`).
    public init(
        responder: @escaping Responder,
        http2Responder: ApexResponder,
        maxBodyBytes: Int,
        tlsConfiguration: TLSConfiguration? = nil,
        idleTimeout: Duration = .seconds(75)
    ) throws {
        self.responder = responder
        let stream = HTTP1Channel.Configuration(idleTimeout: .init(idleTimeout))
        self.http1 = HTTP1Channel(responder: HTTPVersionHeader.marking(responder, as: "1.1"), configuration: stream)
        self.http2 = HTTP2StreamServer(responder: http2Responder, maxBodyBytes: maxBodyBytes, idleTimeout: idleTimeout)
        self.shortcutResponder = http2Responder.shortcut == nil ? nil : http2Responder
        if var tls = tlsConfiguration {
            tls.applicationProtocols = ["h2", "http/1.1"]
            self.sslContext = try NIOSSLContext(configuration: tls)
        } else {
            self.sslContext = nil
        }
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            if let sslContext {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
            }
            let sniffer = HTTPProtocolSniffer(eventLoop: channel.eventLoop)
            do {
                try channel.pipeline.syncOperations.addHandler(sniffer, name: HTTPProtocolSniffer.name)
                try channel.pipeline.syncOperations.addHandler(ReplayBuffer(), name: ReplayBuffer.name)
            } catch {
                sniffer.failIfUndecided(error)  // a connection closed while it was being set up
                throw error
            }
            return Value(detected: sniffer.detection.futureResult, channel: channel)
        }
    }

    /// Sets the connection up for the protocol the sniffer saw, then serves it.
    ///
    /// The protocol's handlers are added here, not when the sniffer decides: a connection the
    /// server accepted but never handled (it was shutting down) then never gets Hummingbird's
    /// `NIOAsyncChannel`, which NIO traps on when dropped unused. A ``ReplayBuffer`` keeps the
    /// bytes until it is removed, so nothing is lost in between; it also closes the connection if
    /// the server shuts down before handling it.
    public func handle(value: Value, logger: Logger) async {
        let channel = value.channel
        let http1 = self.http1
        let http2 = self.http2
        let shortcutResponder = self.shortcutResponder
        do {
            let detected = try await value.detected.get()
            let negotiated = try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Negotiated> in
                let configured: EventLoopFuture<Negotiated> =
                    switch detected {
                    case .http1:
                        http1.setup(channel: channel, logger: logger).flatMapThrowing { connection in
                            try Self.addShortcut(of: shortcutResponder, to: channel)
                            return .http1(connection)
                        }
                    case .http2: channel.eventLoop.makeCompletedFuture { try http2.configure(channel) }.map { .http2 }
                    }
                return configured.flatMap { negotiated in
                    channel.pipeline.removeHandler(name: HTTPProtocolSniffer.name)
                        .flatMap { channel.pipeline.removeHandler(name: ReplayBuffer.name) }
                        .map { negotiated }
                }
            }.get()
            switch negotiated {
            case .http1(let connection): await http1.handle(value: connection, logger: logger)
            case .http2: await http2.serve(channel)
            }
        } catch {
            logger.debug("connection closed before its protocol was known: \(error)")
            _ = try? await channel.close()
        }
    }
}

extension DualProtocolChannel {
    /// Puts `responder`'s ``HTTPShortcut`` in front of Hummingbird's HTTP/1.1 connection loop
    /// (``HTTP1ShortcutHandler``), right after Hummingbird's connection state handler; call on
    /// the channel's event loop once Hummingbird's HTTP/1.1 handlers are in place.
    static func addShortcut(of responder: ApexResponder?, to channel: any Channel) throws {
        guard let responder else { return }
        let state = try channel.pipeline.syncOperations.handler(type: HTTPConnectionStateHandler.self)
        try channel.pipeline.syncOperations.addHandler(HTTP1ShortcutHandler(responder: responder), position: .after(state))
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 and h2c on one cleartext port, or TLS with ALPN `h2`/`http/1.1` when given a TLS
    /// configuration. `http2Responder` answers HTTP/2 streams (see ``DualProtocolChannel``).
    public static func apexDualProtocol(
        http2Responder: ApexResponder, maxBodyBytes: Int, tlsConfiguration: TLSConfiguration? = nil
    ) -> HTTPServerBuilder {
        .init { responder in
            try DualProtocolChannel(
                responder: responder, http2Responder: http2Responder, maxBodyBytes: maxBodyBytes, tlsConfiguration: tlsConfiguration)
        }
    }
}

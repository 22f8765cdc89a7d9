import Foundation
import NIOCore
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// One multiplexed HTTP/2 connection to one upstream, re-opened when it breaks.
///
/// `http://` upstreams get h2c with prior knowledge (what Cloud Run's `--use-http2` and our own
/// servers accept); `https://` upstreams get TLS with ALPN `h2`. All concurrent calls share the
/// connection as separate streams; NIOHTTP2 queues streams beyond the peer's concurrency limit.
final class HTTP2Upstream: Sendable {
    typealias Multiplexer = NIOHTTP2Handler.StreamMultiplexer

    struct Connection: Sendable {
        let channel: any Channel
        let multiplexer: Multiplexer
        /// Batches the flushes of calls started off the event loop (``FlushCoalescer``).
        let flushes: NIOLoopBound<FlushCoalescer>
        /// The deadlines of the calls in flight, one timer for all (``StreamDeadlines``).
        let deadlines: NIOLoopBound<StreamDeadlines<UpstreamExchange>>
    }

    private enum State {
        case idle
        case connecting(Task<Connection, any Error>)
        case connected(Connection)
    }

    let host: String
    let port: Int
    let authority: String
    let scheme: String
    private let sslContext: NIOSSLContext?
    private let eventLoopGroup: any EventLoopGroup
    /// The event loop of every connection, when the client pinned this upstream to one.
    var eventLoop: (any EventLoop)? { eventLoopGroup as? any EventLoop }
    private let connectTimeout: Duration
    private let state = Mutex<State>(.idle)

    init(url: URL, eventLoopGroup: any EventLoopGroup, connectTimeout: Duration) throws {
        guard let host = url.host, let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw ServiceClientError.connectionFailed("invalid upstream URL \(url)")
        }
        self.host = host
        self.scheme = scheme
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
        self.authority = url.port.map { "\(host):\($0)" } ?? host
        self.eventLoopGroup = eventLoopGroup
        self.connectTimeout = connectTimeout
        if scheme == "https" {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.applicationProtocols = ["h2"]
            self.sslContext = try NIOSSLContext(configuration: tls)
        } else {
            self.sslContext = nil
        }
    }

    /// The live connection when there is one, without waiting.
    var openConnection: Connection? {
        state.withLock { state in
            if case .connected(let connection) = state, connection.channel.isActive { return connection }
            return nil
        }
    }

    /// The live connection, opening one if there is none (concurrent callers share one attempt).
    func connection() async throws -> Connection {
        enum Next {
            case ready(Connection)
            case wait(Task<Connection, any Error>)
        }
        let next: Next = state.withLock { state in
            switch state {
            case .connected(let connection) where connection.channel.isActive:
                return .ready(connection)
            case .connecting(let task):
                return .wait(task)
            default:
                let task = Task { try await self.connect() }
                state = .connecting(task)
                return .wait(task)
            }
        }
        let task: Task<Connection, any Error>
        switch next {
        case .ready(let connection): return connection
        case .wait(let pending): task = pending
        }
        do {
            let connection = try await task.value
            state.withLock { state in
                if case .connecting = state { state = .connected(connection) }
            }
            return connection
        } catch {
            state.withLock { state in
                if case .connecting = state { state = .idle }
            }
            throw ServiceClientError.connectionFailed(String(describing: error))
        }
    }

    /// Forgets `channel` once it has closed or its server sent GOAWAY, so the next call
    /// reconnects (calls in flight on it finish there).
    private func forget(_ channel: any Channel) {
        state.withLock { state in
            if case .connected(let connection) = state, connection.channel === channel { state = .idle }
        }
    }

    private func connect() async throws -> Connection {
        let sslContext = self.sslContext
        let host = self.host
        let connection = try await ClientBootstrap(group: eventLoopGroup)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.nanoseconds(Int64(connectTimeout / .nanoseconds(1))))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let serverName = host.first?.isNumber == true || host.contains(":") ? nil : host
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    let flushes = FlushCoalescer()
                    try channel.pipeline.syncOperations.addHandler(flushes)
                    let multiplexer = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .client, connectionConfiguration: Self.connectionConfiguration, streamConfiguration: .init()
                    ) { stream in stream.eventLoop.makeSucceededVoidFuture() }
                    try channel.pipeline.syncOperations.addHandler(GoAwayWatcher { [weak self] in self?.forget(channel) })
                    let deadlines = NIOLoopBound(UpstreamExchange.callDeadlines(on: channel.eventLoop), eventLoop: channel.eventLoop)
                    channel.closeFuture.whenComplete { _ in deadlines.value.close() }
                    return Connection(
                        channel: channel, multiplexer: multiplexer, flushes: NIOLoopBound(flushes, eventLoop: channel.eventLoop),
                        deadlines: deadlines)
                }
            }
        connection.channel.closeFuture.whenComplete { [weak self] _ in self?.forget(connection.channel) }
        return connection
    }

    /// NIOHTTP2's defaults, less header-block validation, which checks every header name and value
    /// of both directions byte by byte (about 2 % of the gateway's CPU per proxied request, in
    /// `perf`). Here it has nothing to catch: the requests are `HTTPFields`, whose names and values
    /// are checked when they are set, with no connection-specific fields; the answers come from
    /// ApexFlow's own services and are read into `HTTPFields` again, which drops an illegal name
    /// and legalizes a value. Content-length validation stays on. The servers check what their
    /// clients send themselves (`HTTPRequest(headerBlock:)`, ``HTTP2FieldSyntax``).
    static let connectionConfiguration: NIOHTTP2Handler.ConnectionConfiguration = {
        var configuration = NIOHTTP2Handler.ConnectionConfiguration()
        configuration.headerBlockValidation = .disabled
        return configuration
    }()

    func close() async {
        let channel: (any Channel)? = state.withLock { state in
            defer { state = .idle }
            if case .connected(let connection) = state { return connection.channel }
            return nil
        }
        try? await channel?.close()
    }
}

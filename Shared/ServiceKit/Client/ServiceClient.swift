public import ApexProtocol
public import Foundation
public import HTTPTypes
public import NIOCore
import NIOHPACK
import NIOHTTP2
public import NIOPosix
import Synchronization

/// Calls another ApexFlow service over HTTP/2 with the `ApexProtocol` contracts.
///
/// Every call: mints an internal identity token for the target (`aud`) and the acting user
/// (`sub`), propagates `traceparent` and `X-Request-ID`, has a deadline, and — when idempotent —
/// is retried once if the connection broke before an answer. Calls to one target share its
/// multiplexed connections: by default one per event loop of the group.
///
/// One connection per event loop: a call made on an event loop uses that loop's connection, and
/// calls from tasks take the connections in turn. With a single connection, all of a client's
/// HTTP/2 work (its own streams, and the frames of every answer) ran on one thread, and so did
/// the serving side's work for it: the gateway stopped near one core with a third of the
/// machine idle. Two connections took it from 5.8–6.6k to 8.0–8.2k req/s over h2
/// (Benchmarks/Gateway/README.md, session 9). `connections: 1` keeps one connection (the
/// foundation benchmark measures exactly that).
public final class ServiceClient: Sendable {
    public let target: ServiceName
    public let baseURL: URL
    let identity: InternalIdentity
    /// Tokens for `target`, reused for 10 of their 30 seconds.
    let tokens: MintedTokenCache
    /// The connections to `target`: one per event loop unless the caller asked for a count.
    let upstreams: [HTTP2Upstream]
    /// Which connection a call from outside their event loops takes next.
    private let turn = Atomic<Int>(0)
    let defaultTimeout: Duration

    public init(
        target: ServiceName, baseURL: URL, identity: InternalIdentity,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(2), connections: Int? = nil
    ) throws {
        self.target = target
        self.baseURL = baseURL
        self.identity = identity
        self.tokens = MintedTokenCache(identity: identity, audience: target)
        self.defaultTimeout = timeout
        if connections == 1 {
            self.upstreams = [try HTTP2Upstream(url: baseURL, eventLoopGroup: eventLoopGroup, connectTimeout: connectTimeout)]
        } else {
            let loops = Array(eventLoopGroup.makeIterator())
            let count = max(1, connections ?? loops.count)
            self.upstreams = try (0..<count).map { index in
                try HTTP2Upstream(url: baseURL, eventLoopGroup: loops[index % loops.count], connectTimeout: connectTimeout)
            }
        }
    }

    /// Sends a contract request and decodes the contract response; a non-2xx answer throws
    /// ``ServiceClientError/status(_:_:)`` with the upstream's problem details.
    public func call<Response: Decodable>(
        _ method: HTTPRequest.Method, _ path: String, body: (some Encodable & Sendable)? = Optional<JSONValue>.none,
        as subject: String, trace: TraceContext? = nil, requestID: String? = nil, timeout: Duration? = nil,
        expecting: Response.Type = Response.self
    ) async throws -> Response {
        var request = UpstreamRequest(method: method, path: path, subject: subject, trace: trace, requestID: requestID, timeout: timeout)
        if let body {
            request.body = ByteBuffer(bytes: try ApexJSON.encodeBytes(body))
            request.headers[.contentType] = "application/json"
        }
        let response = try await execute(request)
        guard (200..<300).contains(response.status.code) else {
            let problem = try? response.body.withUnsafeReadableBytes { try ApexJSON.decode(ProblemDetails.self, from: $0) }
            throw ServiceClientError.status(response.status.code, problem)
        }
        if Response.self == EmptyResponse.self, let empty = EmptyResponse() as? Response { return empty }
        do {
            return try response.body.withUnsafeReadableBytes { try ApexJSON.decode(Response.self, from: $0) }
        } catch {
            throw ServiceClientError.invalidResponse(String(describing: error))
        }
    }

    /// Sends a request and collects the whole answer, whatever its status. A call is sent once
    /// more when the connection failed and the method is idempotent, or when the upstream did not
    /// process it at all (a refused stream, e.g. during its graceful shutdown), whatever the method.
    /// The timeout covers both tries: the second gets what the first left.
    public func execute(_ request: UpstreamRequest) async throws -> UpstreamResponse {
        try await execute(request, via: nil)
    }

    /// ``execute(_:)`` on `upstream`'s connection, or the next in turn when nil.
    private func execute(_ request: UpstreamRequest, via upstream: HTTP2Upstream?) async throws -> UpstreamResponse {
        let deadline = ContinuousClock.now + (request.timeout ?? defaultTimeout)
        do {
            return try await attempt(request, via: upstream, deadline: deadline)
        } catch is UpstreamNotProcessed {
            return try await retry(request, via: upstream, deadline: deadline)
        } catch ServiceClientError.connectionFailed where request.isIdempotent {
            return try await retry(request, via: upstream, deadline: deadline)
        }
    }

    private func retry(
        _ request: UpstreamRequest, via upstream: HTTP2Upstream?, deadline: ContinuousClock.Instant
    ) async throws -> UpstreamResponse {
        do {
            return try await attempt(request, via: upstream, deadline: deadline)
        } catch let refused as UpstreamNotProcessed {
            throw ServiceClientError.connectionFailed(refused.reason)
        }
    }

    /// The connection for a call made now: the one on the current event loop, if any, so the
    /// call crosses no thread; otherwise the next in turn.
    private var nextUpstream: HTTP2Upstream {
        if upstreams.count == 1 { return upstreams[0] }
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop, let own = upstreams.first(where: { $0.eventLoop === loop }) {
            return own
        }
        return upstreams[turn.wrappingAdd(1, ordering: .relaxed).oldValue % upstreams.count]
    }

    private func attempt(
        _ request: UpstreamRequest, via chosen: HTTP2Upstream?, deadline: ContinuousClock.Instant
    ) async throws -> UpstreamResponse {
        let timeout = deadline - ContinuousClock.now
        guard timeout > .zero else { throw ServiceClientError.timeout }
        let upstream = chosen ?? nextUpstream
        let connection: HTTP2Upstream.Connection
        if let open = upstream.openConnection {
            // The common case: no task group and timer just to read the open connection.
            connection = open
        } else {
            do {
                if request.runsToCompletion {
                    // An unstructured task does not inherit the caller's cancellation.
                    connection = try await Task { try await withDeadline(timeout) { try await upstream.connection() } }.value
                } else {
                    connection = try await withDeadline(timeout) { try await upstream.connection() }
                }
            } catch is DeadlineExceeded {
                throw ServiceClientError.timeout
            }
        }
        // A call made on the connection's event loop comes from a request answered inline there:
        // its stream is not held back for the others of this turn (``FlushCoalescer``).
        let response = connection.channel.eventLoop.makePromise(of: UpstreamResponse.self)
        let call = UpstreamCall(promise: response)
        start(request, on: connection, deadline: deadline, flushAtOnce: connection.channel.eventLoop.inEventLoop, call: call)
        // Waiting on the future does not end when the task is cancelled; the handler does.
        if request.runsToCompletion { return try await response.futureResult.get() }
        return try await withTaskCancellationHandler {
            try await response.futureResult.get()
        } onCancel: {
            call.cancel()
        }
    }

    /// Opens the call's stream on `connection` and sends the request; the answer goes to `call`
    /// on the connection's event loop.
    private func start(
        _ request: UpstreamRequest, on connection: HTTP2Upstream.Connection, deadline: ContinuousClock.Instant, flushAtOnce: Bool,
        call: UpstreamCall
    ) {
        let headers = headerBlock(for: request)
        let body = request.body
        let remaining = max(.zero, deadline - ContinuousClock.now)
        let streamTimeout = TimeAmount.nanoseconds(Int64(remaining / .nanoseconds(1)))
        let flushes = connection.flushes
        let deadlines = connection.deadlines
        let opened = connection.channel.eventLoop.makePromise(of: (any Channel).self)
        opened.futureResult.whenFailure { error in call.fail(because: "could not open a stream: \(error)", unprocessed: true) }
        connection.multiplexer.createStreamChannel(promise: opened) { stream in
            do {
                try stream.pipeline.syncOperations.addHandler(
                    UpstreamExchange(
                        headers: headers, body: body, call: call, timeout: streamTimeout, deadlines: deadlines, flushes: flushes,
                        flushAtOnce: flushAtOnce))
                // The event loop's one succeeded future, not a new one per call.
                return stream.eventLoop.makeSucceededVoidFuture()
            } catch {
                return stream.eventLoop.makeFailedFuture(error)
            }
        }
    }

    /// ``execute(_:)`` for a caller running on `eventLoop` outside any task (the gateway's
    /// `ForwardingShortcut`); `completion` gets the answer on `eventLoop`. When the client's
    /// connection on that event loop is open, the call starts on it right away and its answer
    /// goes straight to `completion`: no thread is crossed, and no task or future is made. Its
    /// stream is flushed with the others started in the same turn of the event loop
    /// (``FlushCoalescer``), so a read that brings many requests sends them on in one write. The
    /// connection still to be made, and ``execute(_:)``'s retry (a broken connection, a stream
    /// the server refused), run in a task, on that same connection.
    ///
    /// A call that fails at once (the connection closed a moment ago) completes before this
    /// returns. The call runs to its answer or its deadline whatever happens to the caller
    /// (`runsToCompletion`).
    public func send(
        _ request: UpstreamRequest, on eventLoop: any EventLoop,
        completion: @escaping @Sendable (Result<UpstreamResponse, any Error>) -> Void
    ) {
        let upstream = upstreams.count == 1 ? upstreams[0] : upstreams.first { $0.eventLoop === eventLoop }
        guard let connection = upstream?.openConnection, connection.channel.eventLoop === eventLoop else {
            eventLoop.makeFutureWithTask { try await self.execute(request, via: upstream) }.whenComplete(completion)
            return
        }
        let deadline = ContinuousClock.now + (request.timeout ?? defaultTimeout)
        let call = UpstreamCall { result in
            if case .failure(let error) = result, Self.mayRetry(request, after: error) {
                eventLoop.makeFutureWithTask { try await self.retry(request, via: upstream, deadline: deadline) }
                    .whenComplete(completion)
            } else {
                completion(result)
            }
        }
        start(request, on: connection, deadline: deadline, flushAtOnce: false, call: call)
    }

    /// Whether ``execute(_:)`` sends a call once more after `error`.
    private static func mayRetry(_ request: UpstreamRequest, after error: any Error) -> Bool {
        switch error {
        case is UpstreamNotProcessed: true
        case ServiceClientError.connectionFailed: request.isIdempotent
        default: false
        }
    }

    /// The call's HTTP/2 header block, built in one pass: the pseudo-header fields, the caller's
    /// fields less those the client sets, then the internal identity token, `traceparent`,
    /// `X-Request-ID` and `content-length`. Setting them in the caller's `HTTPFields` first
    /// copied its storage and searched it once per field.
    private func headerBlock(for request: UpstreamRequest) -> HPACKHeaders {
        let upstream = upstreams[0]
        var block = HPACKHeaders()
        block.reserveCapacity(request.headers.count + 8)
        block.add(name: ":method", value: request.method.rawValue)
        block.add(name: ":scheme", value: upstream.scheme)
        block.add(name: ":authority", value: upstream.authority)
        block.add(name: ":path", value: request.path)
        for field in request.headers {
            switch field.name {
            case .xApexIdentity: continue
            case .traceParent where request.trace != nil: continue
            case .xRequestID where request.requestID != nil: continue
            case .contentLength where request.body != nil: continue
            default: block.add(field)
            }
        }
        block.add(name: HTTPField.Name.xApexIdentity.canonicalName, value: tokens.token(for: request.subject))
        // Values unique to one call stay out of HPACK's dynamic table (see `setUnindexed`).
        if let trace = request.trace {
            block.add(name: HTTPField.Name.traceParent.canonicalName, value: trace.traceparent, indexing: .nonIndexable)
        }
        if let requestID = request.requestID {
            block.add(name: HTTPField.Name.xRequestID.canonicalName, value: requestID, indexing: .nonIndexable)
        }
        if let body = request.body { block.add(name: "content-length", value: String(body.readableBytes)) }
        return block
    }

    /// Closes the connection (on shutdown).
    public func shutdown() async { for upstream in upstreams { await upstream.close() } }
}

/// The response type of calls answered with 204 or whose body does not matter.
public struct EmptyResponse: Decodable, Sendable {
    public init() {}
}

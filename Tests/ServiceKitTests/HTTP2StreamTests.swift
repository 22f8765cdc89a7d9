import ApexProtocol
import ApexTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

@testable import ServiceKit

/// The HTTP/2 path of the server (`HTTP2StreamServer`: a channel handler per stream) and of the
/// service client (`UpstreamExchange`), over real sockets: what they must keep of Hummingbird's
/// own behaviour (headers, limits, streaming, graceful shutdown) and of the client's contract
/// (deadlines, cancellation).
@Suite("HTTP/2 streams: server and client")
struct HTTP2StreamTests {
    static let streamedParts = 5

    func makeApp(
        _ overrides: [String: String] = [:], onCancelledRequest: (@Sendable () -> Void)? = nil,
        onSlowRequest: (@Sendable () -> Void)? = nil, onServerRunning: (@Sendable (any Channel) async -> Void)? = nil,
        startsRequestsInline: Bool = true
    ) throws -> some ApplicationProtocol {
        let core = ServiceCore(settings: try TestSettings.common(.rag, overrides), runtime: TestSettings.runtime())
        let router = core.makeRouter()
        router.post("/api/v1/size") { request, context -> String in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            return "\(body.readableBytes)"
        }
        router.post("/api/v1/where") { request, context -> String in
            // Where the handler starts: on an event loop (inline) or on the shared pool.
            let startedOnLoop = MultiThreadedEventLoopGroup.currentEventLoop != nil
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            return "\(startedOnLoop ? "loop" : "pool") \(body.readableBytes)"
        }
        router.get("/api/v1/peer") { _, context -> String in
            // The client's end of the connection this request came on.
            "\(context.clientAddress?.port ?? -1)"
        }
        router.get("/api/v1/streamed") { _, _ -> Response in
            // No content length: the body is written part by part as it is produced.
            let parts = AsyncStream<ByteBuffer> { continuation in
                Task {
                    for index in 0..<Self.streamedParts {
                        try? await Task.sleep(for: .milliseconds(20))
                        continuation.yield(ByteBuffer(string: "part \(index);"))
                    }
                    continuation.finish()
                }
            }
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(asyncSequence: parts))
        }
        router.delete("/api/v1/nothing") { _, _ -> HTTPResponse.Status in .noContent }
        router.get("/api/v1/large") { _, _ -> Response in
            // Known length, above the size sent in one flush: written through.
            Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: 3 << 20)))
        }
        router.get("/api/v1/very-slow") { _, _ -> String in
            do {
                try await Task.sleep(for: .seconds(5))
            } catch {
                onCancelledRequest?()
                throw error
            }
            return "very late"
        }
        router.get("/api/v1/slow") { _, _ -> String in
            onSlowRequest?()
            try await Task.sleep(for: .seconds(1))
            return "late"
        }
        return try core.makeApplication(
            router: router, migrations: nil, startsRequestsInline: startsRequestsInline, onServerRunning: onServerRunning)
    }

    func client(port: Int, timeout: Duration = .seconds(10)) throws -> ServiceClient {
        try TestSettings.serviceClient(port: port, timeout: timeout)
    }

    @Test func responsesCarryDateAndServerAsOnHTTP1() async throws {
        try await makeApp().test(.live) { http1 in
            let h2 = try client(port: http1.port!)
            let response = try await h2.execute(UpstreamRequest(method: .get, path: "/liveness", subject: "alice"))
            #expect(response.status == .ok)
            #expect(response.headers[.server] == "apex-rag")
            let date = try #require(response.headers[.date])
            #expect(date.hasSuffix(" GMT") && date.count == 29, "IMF-fixdate: \(date)")
            try await http1.execute(uri: "/liveness", method: .get) { http1Response in
                #expect(http1Response.headers[.server] == response.headers[.server])
            }
            await h2.shutdown()
        }
    }

    /// A small whole request starts on its stream's event loop; a large one, or any request of a
    /// service that opted out (the gateway), starts on the shared pool. Both get the same answer.
    @Test(arguments: [true, false])
    func smallRequestsStartInlineUnlessTheServiceOptsOut(inline: Bool) async throws {
        try await makeApp(startsRequestsInline: inline).test(.live) { http1 in
            let h2 = try client(port: http1.port!)
            func whereStarted(bodyBytes: Int) async throws -> String {
                var request = UpstreamRequest(method: .post, path: "/api/v1/where", subject: "alice")
                request.body = ByteBuffer(repeating: UInt8(ascii: "x"), count: bodyBytes)
                let response = try await h2.execute(request)
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(try await whereStarted(bodyBytes: 100) == (inline ? "loop 100" : "pool 100"))
            let large = HTTP2StreamResponder.inlineBodyLimit + 1
            #expect(try await whereStarted(bodyBytes: large) == "pool \(large)")
        }
    }

    /// By default the client opens one connection per event loop of its group, and calls from
    /// tasks take them in turn; `connections: 1` keeps one.
    @Test(arguments: [nil, 1] as [Int?])
    func callsFromTasksTakeOneConnectionPerEventLoopInTurn(connections: Int?) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        try await makeApp().test(.live) { http1 in
            let client = try ServiceClient(
                target: .rag, baseURL: URL(string: "http://127.0.0.1:\(http1.port!)")!,
                identity: InternalIdentity(secret: TestSettings.secret, service: .gateway), eventLoopGroup: group,
                connections: connections)
            var peers: [String] = []
            for _ in 0..<6 {
                let response = try await client.execute(UpstreamRequest(method: .get, path: "/api/v1/peer", subject: "alice"))
                #expect(response.status == .ok)
                peers.append(String(buffer: response.body))
            }
            await client.shutdown()
            #expect(Set(peers).count == (connections ?? 2), "\(peers)")
            if connections == nil { #expect(peers[0] != peers[1] && peers[0] == peers[2], "in turn: \(peers)") }
        }
        try await group.shutdownGracefully()
    }

    @Test func aDeclaredOversizeBodyIs413AndTheConnectionStaysUsable() async throws {
        try await makeApp(["MAX_BODY_BYTES": "4096"]).test(.live) { http1 in
            let h2 = try client(port: http1.port!)
            var request = UpstreamRequest(method: .post, path: "/api/v1/size", subject: "alice")
            request.body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 5000)
            let refused = try await h2.execute(request)
            #expect(refused.status == .contentTooLarge)
            #expect(refused.headers[.contentType] == "application/problem+json")
            request.body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 4096)
            let accepted = try await h2.execute(request)
            #expect(accepted.status == .ok)
            #expect(String(buffer: accepted.body) == "4096")
            await h2.shutdown()
        }
    }

    @Test func anUndeclaredOversizeBodyIs413OnBothProtocols() async throws {
        // curl sends a body read from stdin over HTTP/2 without content-length: only the stream's
        // own limit can stop it.
        try await makeApp(["MAX_BODY_BYTES": "4096"]).test(.live) { http1 in
            let small = try await upload(bytes: 1000, to: http1.port!, writeOut: "%{http_code} %{http_version}")
            #expect(small.hasSuffix("1000\n200 2"), "\(small)")
            // Twice the limit, well inside curl's first write: curl 7.88 (Debian 12's) can report
            // error 92 instead of the answer when the server's early answer and NO_ERROR reset
            // arrive while it is still uploading (curl/curl#15316, #22984; fixed in later curls).
            let big = try await upload(bytes: 8 * 1024, to: http1.port!)
            #expect(big.hasSuffix("\n413"), "\(big)")
            #expect(big.contains("payload_too_large"), "\(big)")
            // HTTP/1.1 with a chunked body: the same answer (it was a 500 before the body limit's
            // error got its own problem).
            let chunked = try await upload(bytes: 64 * 1024, to: http1.port!, protocolFlag: "--http1.1")
            #expect(chunked.hasSuffix("\n413"), "\(chunked)")
        }
    }

    /// POSTs `bytes` from curl's stdin to `/api/v1/size`, so without `content-length`
    /// (HTTP/2 DATA frames, or HTTP/1.1 chunks); returns curl's output and the `-w` line.
    func upload(
        bytes: Int, to port: Int, protocolFlag: String = "--http2-prior-knowledge", writeOut: String = "%{http_code}"
    ) async throws -> String {
        let token = TestSettings.token(for: .rag, subject: "alice")
        return try await Curl.run(
            [
                protocolFlag, "-sS", "-T", "-", "-X", "POST", "-H", "x-apex-identity: \(token)",
                "-w", "\n" + writeOut, "http://127.0.0.1:\(port)/api/v1/size",
            ],
            stdin: Data(repeating: UInt8(ascii: "b"), count: bytes))
    }

    @Test func streamedAndLargeBodiesArriveWhole() async throws {
        try await makeApp().test(.live) { http1 in
            let h2 = try client(port: http1.port!)
            let streamed = try await h2.execute(UpstreamRequest(method: .get, path: "/api/v1/streamed", subject: "alice"))
            #expect(streamed.status == .ok)
            #expect(String(buffer: streamed.body) == (0..<Self.streamedParts).map { "part \($0);" }.joined())
            let large = try await h2.execute(UpstreamRequest(method: .get, path: "/api/v1/large", subject: "alice"))
            #expect(large.body.readableBytes == 3 << 20)
            #expect(large.body.readableBytesView.allSatisfy { $0 == UInt8(ascii: "x") })
            await h2.shutdown()
        }
    }

    /// An answer of known length is HEADERS and one DATA frame carrying END_STREAM, and one
    /// without a body is HEADERS alone: no empty DATA frame just to end the stream. A streamed
    /// answer ends with one, since its end is only known after its last part left.
    @Test func answersEndOnTheirLastFrame() async throws {
        try await makeApp().test(.live) { http1 in
            let port = http1.port!
            func request(_ method: String, _ path: String) -> HPACKHeaders {
                [
                    ":method": method, ":scheme": "http", ":authority": "127.0.0.1", ":path": path,
                    "x-apex-identity": TestSettings.token(for: .rag),
                ]
            }
            var post = request("POST", "/api/v1/size")
            post.add(name: "content-length", value: "5")
            #expect(
                try await FrameRecordingClient.answerFrames(port: port, request: post, body: ByteBuffer(string: "hello")) == [
                    "HEADERS", "DATA+END",
                ])
            #expect(
                try await FrameRecordingClient.answerFrames(port: port, request: request("GET", "/liveness")) == ["HEADERS", "DATA+END"])
            #expect(
                try await FrameRecordingClient.answerFrames(port: port, request: request("DELETE", "/api/v1/nothing")) == ["HEADERS+END"])
            let streamed = try await FrameRecordingClient.answerFrames(port: port, request: request("GET", "/api/v1/streamed"))
            #expect(streamed == ["HEADERS"] + Array(repeating: "DATA", count: Self.streamedParts) + ["DATA+END"])
        }
    }

    /// A request header block that is not a well-formed request is malformed (RFC 9113 §8.1.1):
    /// its stream is reset with PROTOCOL_ERROR rather than answered or left waiting, and the
    /// connection serves the next request. The servers' NIOHTTP2 handlers do not validate header
    /// blocks; `HTTPRequest(headerBlock:)` does, and the trailers are checked as they come.
    /// Each case: what is wrong, and the block's fields.
    static let malformedRequests: [(String, [(String, String)])] = [
        ("a method that is not a token", [(":method", "GE(T"), (":scheme", "http"), (":path", "/liveness")]),
        // A name outside HPACK's static table: the encoder writes it as it is.
        ("an uppercase name", [(":method", "GET"), (":scheme", "http"), (":path", "/liveness"), ("X-Tag", "1")]),
        ("CR LF in a value", [(":method", "GET"), (":scheme", "http"), (":path", "/liveness"), ("x-a", "1\r\nx-b: 2")]),
        ("a connection-specific field", [(":method", "GET"), (":scheme", "http"), (":path", "/liveness"), ("connection", "close")]),
        ("a space in :path", [(":method", "GET"), (":scheme", "http"), (":path", "/liveness HTTP/1.1")]),
        ("no :scheme", [(":method", "GET"), (":path", "/liveness")]),
    ]

    @Test(arguments: Self.malformedRequests)
    func aMalformedRequestHasItsStreamReset(_ what: String, _ fields: [(String, String)]) async throws {
        try await makeApp().test(.live) { http1 in
            let port = http1.port!
            let frames = try await FrameRecordingClient.answerFrames(port: port, request: HPACKHeaders(fields))
            #expect(frames == ["RST_STREAM \(HTTP2ErrorCode.protocolError.networkCode)"], "\(what)")
            let wellFormed: HPACKHeaders = [":method": "GET", ":scheme": "http", ":authority": "127.0.0.1", ":path": "/liveness"]
            #expect(try await FrameRecordingClient.answerFrames(port: port, request: wellFormed) == ["HEADERS", "DATA+END"])
        }
    }

    /// Trailers are checked too: a request whose trailer block holds a pseudo-header field or
    /// an illegal name is malformed, and its stream is reset instead of answered.
    @Test func malformedTrailersHaveTheirStreamReset() async throws {
        try await makeApp().test(.live) { http1 in
            let port = http1.port!
            let post: HPACKHeaders = [":method": "POST", ":scheme": "http", ":authority": "127.0.0.1", ":path": "/api/v1/size"]
            for trailers: HPACKHeaders in [[":status": "200"], ["X-Sum": "1"], ["x-sum": "1\r\n"]] {
                let frames = try await FrameRecordingClient.answerFrames(
                    port: port, request: post, body: ByteBuffer(string: "{}"), trailers: trailers)
                #expect(frames == ["RST_STREAM \(HTTP2ErrorCode.protocolError.networkCode)"], "\(trailers)")
            }
            let wellFormed = try await FrameRecordingClient.answerFrames(
                port: port, request: post, body: ByteBuffer(string: "{}"), trailers: ["x-sum": "1"])
            #expect(wellFormed == ["HEADERS", "DATA+END"])
        }
    }

    @Test func aCancelledCallEndsAtOnceAndTheConnectionStaysUsable() async throws {
        try await makeApp().test(.live) { http1 in
            let h2 = try client(port: http1.port!)
            // Open the connection first, so the cancellation hits a call in flight on its stream.
            _ = try await h2.execute(UpstreamRequest(method: .get, path: "/liveness", subject: "alice"))
            let start = ContinuousClock.now
            let call = Task { try await h2.execute(UpstreamRequest(method: .get, path: "/api/v1/slow", subject: "alice")) }
            try await Task.sleep(for: .milliseconds(100))
            call.cancel()
            await #expect(throws: CancellationError.self) { _ = try await call.value }
            #expect(ContinuousClock.now - start < .milliseconds(800), "ended by the cancellation, not by the answer")
            let after = try await h2.execute(UpstreamRequest(method: .get, path: "/liveness", subject: "alice"))
            #expect(after.status == .ok)
            await h2.shutdown()
        }
    }

    /// Unlike `aCancelledCallEndsAtOnceAndTheConnectionStaysUsable`: the answer still arrives,
    /// so the stream was not reset.
    @Test func aCallThatRunsToCompletionOutlivesItsCallersCancellation() async throws {
        try await makeApp().test(.live) { http1 in
            let h2 = try client(port: http1.port!)
            for connected in [false, true] {
                // Cancelled while connecting (the first call), then with the stream in flight.
                let start = ContinuousClock.now
                let call = Task {
                    var request = UpstreamRequest(method: .get, path: "/api/v1/slow", subject: "alice")
                    request.runsToCompletion = true
                    return try await h2.execute(request)
                }
                try await Task.sleep(for: .milliseconds(connected ? 100 : 0))
                call.cancel()
                let response = try await call.value
                #expect(response.status == .ok && String(buffer: response.body) == "late", "connected: \(connected)")
                #expect(ContinuousClock.now - start >= .milliseconds(900), "waited for the answer")
            }
            await h2.shutdown()
        }
    }

    @Test func theRouteOfAStreamTheClientResetIsCancelled() async throws {
        let (cancelled, cancellation) = AsyncStream.makeStream(of: Void.self)
        try await makeApp(onCancelledRequest: { cancellation.yield() }).test(.live) { http1 in
            // The client's deadline resets the stream after 200 ms; the route would run 5 s.
            let h2 = try client(port: http1.port!, timeout: .milliseconds(200))
            let start = ContinuousClock.now
            await #expect(throws: ServiceClientError.self) {
                _ = try await h2.execute(UpstreamRequest(method: .get, path: "/api/v1/very-slow", subject: "alice"))
            }
            let seen = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    var iterator = cancelled.makeAsyncIterator()
                    return await iterator.next() != nil
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(3))
                    return false
                }
                defer { group.cancelAll() }
                return await group.next() ?? false
            }
            #expect(seen, "the route's task was cancelled when the client reset its stream")
            #expect(ContinuousClock.now - start < .seconds(2))
            await h2.shutdown()
            // Counted as a client that went away (nginx's 499), not as a server error.
            try await Task.sleep(for: .milliseconds(100))
            try await http1.execute(uri: "/metrics", method: .get) { metrics in
                let text = String(buffer: metrics.body)
                #expect(text.contains(#"route="/api/v1/very-slow",method="GET",status="499",http_version="2"} 1"#), "\(text)")
                #expect(!text.contains(#"route="/api/v1/very-slow",method="GET",status="503""#))
            }
        }
    }

    @Test func gracefulShutdownLetsAStreamInFlightFinish() async throws {
        let port = Mutex<Int?>(nil)
        let arrived = Mutex(false)
        let app = try makeApp(onSlowRequest: { arrived.withLock { $0 = true } }) { channel in
            port.withLock { $0 = channel.localAddress?.port }
        }
        let group = ServiceGroup(services: [app], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var bound: Int?
            for _ in 0..<200 where bound == nil {
                try await Task.sleep(for: .milliseconds(10))
                bound = port.withLock { $0 }
            }
            let h2 = try client(port: try #require(bound))
            let slow = Task { try await h2.execute(UpstreamRequest(method: .get, path: "/api/v1/slow", subject: "alice")) }
            // Shut down only once the handler runs: a stream the server had not yet seen would be
            // refused by the GOAWAY, which is right, but not what this test is about.
            while !arrived.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            let start = ContinuousClock.now
            await group.triggerGracefulShutdown()
            let answer = try await slow.value
            #expect(answer.status == .ok)
            #expect(String(buffer: answer.body) == "late")
            try await tasks.next()
            #expect(ContinuousClock.now - start < .seconds(5), "the server stopped once the stream finished")
            // The connection is gone with the server: a new call fails instead of hanging.
            await #expect(throws: ServiceClientError.self) {
                _ = try await h2.execute(UpstreamRequest(method: .get, path: "/liveness", subject: "alice"))
            }
            await h2.shutdown()
        }
    }

    /// A client that closes its side of the connection (FIN) gets the connection closed, whether
    /// it had started HTTP/2 or not yet said which protocol it speaks: nothing can follow, and
    /// the server must not hold the socket until its 75 s idle timeout.
    @Test(arguments: [false, true])
    func aHalfClosedConnectionIsClosed(afterThePreface: Bool) async throws {
        try await makeApp().test(.live) { http1 in
            let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .connect(host: "127.0.0.1", port: http1.port!).get()
            if afterThePreface {
                var bytes = ByteBuffer(bytes: HTTPProtocolSniffer.preface)
                bytes.writeBytes([0, 0, 0, 4, 0, 0, 0, 0, 0])  // an empty SETTINGS frame
                try await client.writeAndFlush(bytes)
            }
            try await client.close(mode: .output)
            let closed = Task { try await client.closeFuture.get() }
            let start = ContinuousClock.now
            while client.isActive, ContinuousClock.now - start < .seconds(5) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(!client.isActive, "the server closed the connection")
            closed.cancel()
            if client.isActive { try? await client.close() }
        }
    }

    @Test(arguments: [
        ("application/json", true), ("Application/JSON; charset=utf-8", true), (" application/json ", true),
        ("application/merge-patch+json", true), ("application/problem+json;q=1", true),
        ("application/+json", false), ("text/json", false), ("application/jsonx", false), ("application/xml", false),
        ("", false), ("json", false),
    ])
    func jsonMediaTypes(contentType: String, isJSON: Bool) {
        #expect(ApexRequestDecoder.isJSON(contentType) == isJSON)
    }
}

/// Runs curl (which the test command installs) and returns what it printed.
enum Curl {
    /// On a thread of its own: waiting for curl on one of the two threads of the concurrency pool
    /// would starve the server under test, which answers curl from that same pool.
    static func run(_ arguments: [String], stdin: Data) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runBlocking(arguments, stdin: stdin) }) }.start()
        }
    }

    private static func runBlocking(_ arguments: [String], stdin: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl"] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: printed, as: UTF8.self)
    }
}

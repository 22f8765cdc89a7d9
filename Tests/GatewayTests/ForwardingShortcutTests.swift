import ApexProtocol
import ApexTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import ServiceKit
import Testing

@testable import Gateway

/// The GETs the gateway forwards from the client's HTTP/2 stream without the router
/// (`ForwardingShortcut`) must be answered exactly as the router answers them.
@Suite("Gateway shortcut: GETs forwarded from the stream's event loop answer as through the router")
struct ForwardingShortcutTests {
    /// One answer, without what differs between two runs of the same request (`date`, and the
    /// seconds until the bucket has a token again or is full again).
    struct Answer: Equatable, CustomStringConvertible {
        var status: Int
        var headers: [String: String]
        var body: String
        var description: String { "\(status) \(headers.sorted { $0.key < $1.key }) \(body.prefix(300))" }
    }

    struct Step: Sendable {
        var method: HTTPRequest.Method = .get
        var path: String
        var headers: HTTPFields = [:]
        var body: String?
        var token = true
    }

    /// What each step exercises; `forwarded` marks the steps the shortcut must take.
    static let steps: [(step: Step, forwarded: Bool)] = [
        (Step(path: "/api/v1/documents"), false),  // a token seen for the first time: the router verifies it
        (Step(path: "/api/v1/documents?limit=5&cursor=abc"), true),
        (Step(path: "/api/v1/documents?"), true),  // an empty query is dropped
        (Step(path: "/api/v1/memories", headers: [.accept: "application/json", .ifNoneMatch: "\"v1\""]), true),
        (Step(path: "/api/v1/memories/hangs"), true),  // the backend hangs: 504 at UPSTREAM_TIMEOUT_MS
        (Step(path: "/api/v1/jobs"), true),  // nothing listens for the scheduler: 503
        (Step(path: "/api/v1/documents", headers: [.origin: "https://app.example.com"]), false),  // CORS
        (Step(method: .post, path: "/api/v1/documents", headers: [.contentType: "application/json"], body: "{}"), false),
        (Step(path: "/api/v1/me"), false),  // the gateway's own
        (Step(path: "/api/v1/nowhere"), false),  // 404
        (Step(path: "/api/v1/documents", token: false), false),  // 401, the client IP's bucket
        (Step(method: .delete, path: "/api/v1/documents/d1"), false),
        (Step(path: "/api/v1/documents"), false),  // the user's bucket is empty: 429 from the router
    ]

    enum Transport: Sendable, CaseIterable { case h2c, http1 }

    @Test(arguments: Transport.allCases)
    func everyAnswerIsTheRoutersAndTheCommonGETsTakeTheShortcut(_ transport: Transport) async throws {
        let signer = try FirebaseTokenFactory()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID()).json")
        try FirebaseTokenFactory.jwks([signer]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let token = try signer.token(sub: "shortcut-user")

        let shortcut = try await run(transport, forwardsOnEventLoop: true, jwks: file, token: token)
        let router = try await run(transport, forwardsOnEventLoop: false, jwks: file, token: token)
        for (index, pair) in zip(shortcut.answers, router.answers).enumerated() {
            #expect(pair.0 == pair.1, "step \(index) \(Self.steps[index].step.path): shortcut \(pair.0) ≠ router \(pair.1)")
        }
        #expect(shortcut.answers.map(\.status) == [200, 200, 200, 200, 504, 503, 200, 200, 200, 404, 401, 200, 429])
        #expect(shortcut.forwarded == Self.steps.filter(\.forwarded).count)
        #expect(router.forwarded == 0)
        // The hanging backend was waited for up to the deadline, not twice over.
        #expect(shortcut.hangWaited >= .milliseconds(550) && shortcut.hangWaited < .milliseconds(1500), "\(shortcut.hangWaited)")
    }

    /// On HTTP/1.1, answers leave in the order of their requests: a request pipelined behind a
    /// forwarded GET waits for that GET's answer, even when the router would answer it first.
    @Test func anHTTP1RequestPipelinedBehindAForwardedGETIsAnsweredAfterIt() async throws {
        try await FakeBackend.make(.memory).test(.live) { memory in
            let settings = try GatewayTestApp.settings(
                rag: 1, memory: memory.port!, scheduler: 1, ["AUTH_DISABLED": "1", "UPSTREAM_TIMEOUT_MS": "600"])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.live) { gateway in
                // The backend hangs on the first (504 after 600 ms); the gateway answers the second itself.
                // The client closes its side once it has sent both: the answers still come.
                let answers = try await RawHTTP1.exchange(
                    port: gateway.port!,
                    "GET /api/v1/memories/hangs HTTP/1.1\r\nHost: gw\r\n\r\n"
                        + "GET /api/v1/me HTTP/1.1\r\nHost: gw\r\n\r\n", halfClose: true)
                // A status line follows the previous answer's body directly (no line break after JSON).
                let statuses = answers.matches(of: #/HTTP/1\.1 (\d{3}) /#).map { String($0.output.1) }
                #expect(statuses == ["504", "200"], "\(answers)")
                let metrics = try await gateway.execute(uri: "/metrics", method: .get)
                #expect(String(buffer: metrics.body).contains(#"apex_shortcut_forwards_total{service="gateway"} 1"#))
            }
        }
    }

    /// The steps against a gateway, one after another: over h2c with the service client, or over
    /// one HTTP/1.1 keep-alive connection with the test client.
    private func run(
        _ transport: Transport, forwardsOnEventLoop: Bool, jwks: URL, token: String
    ) async throws -> (
        answers: [Answer], forwarded: Int, hangWaited: Duration
    ) {
        let result = Result()
        try await FakeBackend.make(.rag).test(.live) { rag in
            try await FakeBackend.make(.memory).test(.live) { memory in
                let settings = try GatewayTestApp.settings(
                    rag: rag.port!, memory: memory.port!, scheduler: 1,
                    [
                        "AUTH_JWKS_FILE": jwks.path, "UPSTREAM_TIMEOUT_MS": "600", "CORS_ORIGINS": "https://app.example.com",
                        "RATE_LIMIT_RPS": "0.01", "RATE_LIMIT_BURST": "11",
                    ])
                let app = try await buildApplication(
                    settings: settings, runtime: TestSettings.runtime(), forwardsOnEventLoop: forwardsOnEventLoop)
                try await app.test(.live) { gateway in
                    let client = try ServiceClient(
                        target: .gateway, baseURL: URL(string: "http://127.0.0.1:\(gateway.port!)")!,
                        identity: InternalIdentity(secret: "unused-unused-unused-unused-unused", service: .scheduler))
                    for (index, (step, _)) in Self.steps.enumerated() {
                        var headers = step.headers
                        if step.token { headers[.authorization] = "Bearer \(token)" }
                        var request = UpstreamRequest(
                            method: step.method, path: step.path, headers: headers, body: step.body.map { ByteBuffer(string: $0) },
                            subject: "ignored", requestID: "step-\(index)", timeout: .seconds(5))
                        request.trace = TraceContext(
                            traceID: String(format: "%032x", index + 1), spanID: String(format: "%016x", index + 1), sampled: true)
                        let start = ContinuousClock.now
                        switch transport {
                        case .h2c:
                            let response = try await client.execute(request)
                            result.answers.append(Self.answer(status: response.status, headers: response.headers, body: response.body))
                        case .http1:
                            headers[.xRequestID] = request.requestID
                            headers[.traceParent] = request.trace?.traceparent
                            let response = try await gateway.execute(
                                uri: step.path, method: step.method, headers: headers, body: request.body)
                            result.answers.append(Self.answer(status: response.status, headers: response.headers, body: response.body))
                        }
                        if step.path.hasSuffix("/hangs") { result.hangWaited = ContinuousClock.now - start }
                    }
                    let metrics = try await client.execute(UpstreamRequest(method: .get, path: "/metrics", subject: "ignored"))
                    let line = String(buffer: metrics.body).split(separator: "\n").first { $0.hasPrefix("apex_shortcut_forwards_total") }
                    result.forwarded = line.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) } ?? -1
                    await client.shutdown()
                }
            }
        }
        return (result.answers, result.forwarded, result.hangWaited)
    }

    private final class Result: @unchecked Sendable {
        var answers: [Answer] = []
        var forwarded = -1
        var hangWaited = Duration.zero
    }

    private static func answer(status: HTTPResponse.Status, headers fields: HTTPFields, body: ByteBuffer) -> Answer {
        var headers: [String: String] = [:]
        for field in fields where field.name != .date {
            headers[field.name.canonicalName, default: ""] += field.value
        }
        if headers["ratelimit-reset"] != nil { headers["ratelimit-reset"] = "(present)" }
        var text = String(buffer: body)
        if status == .tooManyRequests {
            // Seconds until the next token: they tick while the steps run.
            headers["retry-after"] = "(present)"
            headers["content-length"] = "(present)"
            text = text.replacing(#/retry after \d+ s/#, with: "retry after N s")
        }
        return Answer(status: status.code, headers: headers, body: text)
    }
}

/// Sends raw bytes on one TCP connection and returns everything the server sends until it closes.
enum RawHTTP1 {
    /// `halfClose`: shut the client's side down once the bytes are sent.
    static func exchange(port: Int, _ request: String, halfClose: Bool = false) async throws -> String {
        let received = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: String.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(received: received)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: request))
        if halfClose { try await channel.close(mode: .output) }
        return try await received.futureResult.get()
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let received: EventLoopPromise<String>
        var bytes = ByteBuffer()

        init(received: EventLoopPromise<String>) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var part = unwrapInboundIn(data)
            bytes.writeBuffer(&part)
        }

        func channelInactive(context: ChannelHandlerContext) {
            received.succeed(String(buffer: bytes))
            context.fireChannelInactive()
        }
    }
}

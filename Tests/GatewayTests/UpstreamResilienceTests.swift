import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing

@testable import Gateway

@Suite("Gateway upstreams: unavailable, slow, breaker, context, protocols")
struct UpstreamResilienceTests {
    @Test func aDeadUpstreamIs503FastWhileOthersWorkAndAHangingOneIs504() async throws {
        try await FakeBackend.make(.rag).test(.live) { rag in
            try await FakeBackend.make(.memory).test(.live) { memory in
                // The scheduler is "killed": nothing listens on its port.
                let settings = try GatewayTestApp.settings(rag: rag.port!, memory: memory.port!, scheduler: 1, ["AUTH_DISABLED": "1"])
                try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                    let start = ContinuousClock.now
                    let dead = try await client.execute(uri: "/api/v1/jobs", method: .get)
                    #expect(dead.status == .serviceUnavailable)
                    #expect(dead.problem?.code == .upstreamUnavailable)
                    #expect(ContinuousClock.now - start < .seconds(2))
                    #expect(try await client.execute(uri: "/api/v1/documents", method: .get).status == .ok)

                    let hangStart = ContinuousClock.now
                    let slow = try await client.execute(uri: "/api/v1/memories/abc", method: .get)
                    let waited = ContinuousClock.now - hangStart
                    #expect(slow.status == .gatewayTimeout)
                    #expect(slow.problem?.code == .upstreamTimeout)
                    #expect(waited >= .seconds(1.4) && waited < .seconds(3), "UPSTREAM_TIMEOUT_MS=1500, waited \(waited)")
                    #expect(try await client.execute(uri: "/api/v1/memories", method: .get).status == .ok)
                }
            }
        }
    }

    /// The scheduler dies after the gateway has connected to it: its calls answer 503 within 2 s,
    /// over the real socket (so through the event-loop forwarding), while rag keeps answering.
    @Test func anUpstreamKilledAfterConnectingIs503WithinTwoSecondsWhileTheOthersWork() async throws {
        try await FakeBackend.make(.rag).test(.live) { rag in
            try await FakeBackend.make(.scheduler).test(.live) { scheduler in
                let proxy = TCPProxy(targetHost: "127.0.0.1", targetPort: scheduler.port!)
                try await proxy.start()
                let settings = try GatewayTestApp.settings(rag: rag.port!, memory: 1, scheduler: proxy.port, ["AUTH_DISABLED": "1"])
                do {
                    try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.live) { client in
                        #expect(try await client.execute(uri: "/api/v1/jobs", method: .get).status == .ok)
                        await proxy.stop()
                        for _ in 0..<2 {
                            let start = ContinuousClock.now
                            let dead = try await client.execute(uri: "/api/v1/jobs", method: .get)
                            let took = ContinuousClock.now - start
                            #expect(dead.status == .serviceUnavailable)
                            #expect(dead.problem?.code == .upstreamUnavailable)
                            #expect(took < .seconds(2), "took \(took)")
                            #expect(try await client.execute(uri: "/api/v1/documents", method: .get).status == .ok)
                        }
                    }
                } catch {
                    await proxy.stop()
                    throw error
                }
            }
        }
    }

    /// A backend holding another `INTERNAL_AUTH_SECRET` refuses the gateway's identity with 401:
    /// the client's token is not at fault, so the client gets 503, never that 401.
    @Test(arguments: [true, false])
    func aBackendThatRefusesTheGatewaysIdentityIs503(forwardsOnEventLoop: Bool) async throws {
        let otherSecret = ["INTERNAL_AUTH_SECRET": "another-secret-that-the-gateway-does-not-hold"]
        try await FakeBackend.make(.rag, environment: otherSecret).test(.live) { rag in
            try await FakeBackend.make(.memory, environment: otherSecret).test(.live) { memory in
                let settings = try GatewayTestApp.settings(
                    rag: rag.port!, memory: memory.port!, scheduler: 1, ["AUTH_DISABLED": "1", "BREAKER_FAILURES": "100"])
                let app = try await buildApplication(
                    settings: settings, runtime: TestSettings.runtime(), forwardsOnEventLoop: forwardsOnEventLoop)
                try await app.test(.live) { client in
                    let refused = try await client.execute(uri: "/api/v1/documents", method: .get)
                    #expect(refused.status == .serviceUnavailable)
                    #expect(refused.problem?.code == .upstreamUnavailable)
                    #expect(refused.headers[.wwwAuthenticate] == nil)
                    #expect(!String(buffer: refused.body).contains("X-Apex-Identity"))

                    let context = try await client.execute(
                        uri: "/api/v1/context", method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"query": "q"}"#))
                    #expect(context.status == .ok)
                    let answer = try ApexJSON.makeDecoder().decode(ContextResponse.self, from: Data(buffer: context.body))
                    #expect(answer.partial)
                    #expect(
                        Set(answer.errors) == [
                            .init(source: .memory, code: .upstreamUnavailable), .init(source: .rag, code: .upstreamUnavailable),
                        ])
                }
            }
        }
    }

    @Test func theBreakerOpensThenClosesAfterTheCoolDown() async throws {
        let hits = FakeBackend.Counter()
        try await FakeBackend.make(.rag, hits: hits).test(.live) { rag in
            let proxy = TCPProxy(targetHost: "127.0.0.1", targetPort: rag.port!)
            try await proxy.start()
            let settings = try GatewayTestApp.settings(
                rag: proxy.port, memory: 1, scheduler: 1, ["AUTH_DISABLED": "1", "BREAKER_FAILURES": "3", "BREAKER_COOLDOWN_MS": "500"])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                #expect(try await client.execute(uri: "/api/v1/documents", method: .get).status == .ok)
                await proxy.stop()
                for _ in 0..<3 { #expect(try await client.execute(uri: "/api/v1/documents", method: .get).status == .serviceUnavailable) }
                // Open: refused at once, without trying the upstream.
                try await proxy.start()
                let before = hits.count
                let start = ContinuousClock.now
                let open = try await client.execute(uri: "/api/v1/documents", method: .get)
                #expect(open.status == .serviceUnavailable)
                #expect(ContinuousClock.now - start < .milliseconds(200))
                #expect(hits.count == before)
                // After the cool-down a probe goes through and closes the circuit.
                try await Task.sleep(for: .milliseconds(600))
                #expect(try await client.execute(uri: "/api/v1/documents", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/api/v1/documents", method: .get).status == .ok)
            }
            await proxy.stop()
        }
    }

    @Test func aCallItsCallerAbandonsIsNotResetUpstreamNorCountedAsAFailureMeanwhile() async throws {
        let cancelled = FakeBackend.Counter()
        try await FakeBackend.make(.memory, cancelled: cancelled).test(.live) { memory in
            let settings = try GatewayTestApp.settings(
                rag: 1, memory: memory.port!, scheduler: 1, ["AUTH_DISABLED": "1", "BREAKER_FAILURES": "2", "UPSTREAM_TIMEOUT_MS": "4000"])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.live) { http1 in
                // An HTTP/2 caller that gives up after 200 ms on a memory call that hangs: its
                // stream is reset, the gateway's route is cancelled, and so is the upstream call.
                let impatient = try TestSettings.serviceClient(port: http1.port!, timeout: .milliseconds(200))
                for _ in 0..<3 {
                    await #expect {
                        _ = try await impatient.execute(UpstreamRequest(method: .get, path: "/api/v1/memories/abc", subject: "alice"))
                    } throws: { error in
                        if case .timeout = error as? ServiceClientError { return true }
                        return false
                    }
                }
                await impatient.shutdown()
                try await Task.sleep(for: .milliseconds(300))
                // The upstream calls were not reset: resets in bulk would trip the backend's
                // rapid-reset guard and close the connection every user shares.
                #expect(cancelled.count == 0)
                // Three abandoned calls, two allowed failures: the circuit is still closed, since
                // the calls still run upstream (they count once they end: here, at their deadline).
                try await http1.execute(uri: "/api/v1/memories", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test func contextIsPartialWhenOneSideTimesOut() async throws {
        try await FakeBackend.make(.rag).test(.live) { rag in
            try await FakeBackend.make(.memory).test(.live) { memory in
                let settings = try GatewayTestApp.settings(
                    rag: rag.port!, memory: memory.port!, scheduler: 1, ["AUTH_DISABLED": "1", "CONTEXT_TIMEOUT_MS": "3000"])
                try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                    let start = ContinuousClock.now
                    let response = try await client.execute(
                        uri: "/api/v1/context", method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"query": "lighthouses", "memory_limit": 3, "document_limit": 2}"#))
                    #expect(response.status == .ok)
                    #expect(ContinuousClock.now - start < .seconds(6), "one deadline of 3 s for both sides; the memory side hangs 30 s")
                    let context = try ApexJSON.makeDecoder().decode(ContextResponse.self, from: Data(buffer: response.body))
                    #expect(context.partial)
                    #expect(context.errors == [ContextSourceError(source: .memory, code: .upstreamTimeout)])
                    #expect(context.documents.map(\.content) == ["lighthouses"])
                    #expect(context.documents.first?.filename == "doc-for-default.md")
                    #expect(context.memories.isEmpty)

                    let onlyDocs = try await client.execute(
                        uri: "/api/v1/context", method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"query": "x", "memory_limit": 0}"#))
                    let body = try ApexJSON.makeDecoder().decode(ContextResponse.self, from: Data(buffer: onlyDocs.body))
                    #expect(!body.partial && body.errors.isEmpty && body.documents.count == 1)
                    let badLimit = try await client.execute(
                        uri: "/api/v1/context", method: .post, headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"query": "x", "memory_limit": 21}"#))
                    #expect(badLimit.status == .badRequest)
                }
            }
        }
    }

    @Test func http1AndH2CClientsBothWorkAndBodiesPassThrough() async throws {
        try await FakeBackend.make(.rag).test(.live) { rag in
            let settings = try GatewayTestApp.settings(
                rag: rag.port!, memory: 1, scheduler: 1, ["AUTH_DISABLED": "1", "UPSTREAM_TIMEOUT_MS": "20000"])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.live) { http1 in
                // Larger than HTTP/2's initial flow-control window (64 KiB) many times over.
                let upload = String(repeating: "x", count: 1024 * 1024)
                let response = try await http1.execute(
                    uri: "/api/v1/documents?limit=5", method: .post, headers: [.contentType: "application/json", .xRequestID: "trace-me"],
                    body: ByteBuffer(string: upload))
                #expect(response.status == .ok)
                #expect(response.headers[.xRequestID] == "trace-me")
                let echo = try JSONDecoder().decode(FakeBackend.Echo.self, from: Data(buffer: response.body))
                #expect(echo.body.count == upload.count)
                #expect(echo.path == "/api/v1/documents?limit=5")
                #expect(echo.user == "default")
                #expect(echo.httpVersion == "2")

                // An h2c client (prior knowledge) against the gateway's same port.
                let h2 = try ServiceClient(
                    target: .gateway, baseURL: URL(string: "http://127.0.0.1:\(http1.port!)")!,
                    identity: InternalIdentity(secret: "unused-unused-unused-unused-unused", service: .scheduler))
                let viaH2 = try await h2.execute(UpstreamRequest(method: .get, path: "/api/v1/documents", subject: "ignored"))
                #expect(viaH2.status == .ok)
                let h2Echo = try JSONDecoder().decode(FakeBackend.Echo.self, from: Data(buffer: viaH2.body))
                #expect(h2Echo.user == "default", "the gateway ignores X-Apex-Identity from clients and uses its own auth")
                await h2.shutdown()
            }
        }
    }

    @Test func openAPIDocumentsExactlyWhatIsRouted() async throws {
        let document = OpenAPIDocument.make()
        let paths = try #require(document.objectValue?["paths"]?.objectValue)
        var documented: Set<String> = []
        for (path, operations) in paths {
            for method in operations.objectValue?.keys ?? [:].keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        let routed = Set((APIEndpoints.all + APIEndpoints.operational).map { "\($0.method.rawValue) \($0.path)" })
        #expect(documented == routed)
        #expect(document.objectValue?["openapi"] == "3.1.0")
        // Every documented path is answered by the gateway (not 404 or 405), with auth disabled,
        // and every backend path reaches the backend that owns it: each fake echoes its name.
        try await FakeBackend.make(.rag).test(.live) { rag in
            try await FakeBackend.make(.memory).test(.live) { memory in
                try await FakeBackend.make(.scheduler).test(.live) { scheduler in
                    let settings = try GatewayTestApp.settings(
                        rag: rag.port!, memory: memory.port!, scheduler: scheduler.port!,
                        ["AUTH_DISABLED": "1", "RATE_LIMIT_RPS": "1000", "RATE_LIMIT_BURST": "1000"])
                    try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                        let served = try await client.execute(uri: "/openapi.json", method: .get)
                        #expect(served.status == .ok)
                        let servedDocument = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: served.body))
                        #expect(servedDocument == document)
                        // These two fakes hang on purpose (the timeout tests); the gateway routes them
                        // like any other path of their owner.
                        let slow: Set<String> = ["GET /api/v1/memories/{id}", "POST /api/v1/memories/search"]
                        var reached: [ServiceName: Int] = [:]
                        for endpoint in APIEndpoints.all + APIEndpoints.operational
                        where !slow.contains("\(endpoint.method.rawValue) \(endpoint.path)") {
                            let path = endpoint.path(
                                substituting: Dictionary(uniqueKeysWithValues: endpoint.parameterNames.map { ($0, "x1") }))
                            let response = try await client.execute(
                                uri: path, method: HTTPRequest.Method(endpoint.method.rawValue)!,
                                headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}"))
                            #expect(response.status != .notFound, "\(endpoint): \(String(buffer: response.body))")
                            #expect(response.status != .methodNotAllowed, "\(endpoint)")
                            if let echo = try? JSONDecoder().decode(FakeBackend.Echo.self, from: Data(buffer: response.body)) {
                                #expect(echo.service == endpoint.service.rawValue, "\(endpoint) reached \(echo.service)")
                                #expect(echo.path.hasPrefix(path), "\(endpoint) arrived as \(echo.path)")
                                reached[endpoint.service, default: 0] += 1
                            }
                        }
                        // The check above ran for many paths of each backend, not for none.
                        for service in [ServiceName.rag, .memory, .scheduler] {
                            let owned = APIEndpoints.all.filter { $0.service == service }.count
                            #expect((reached[service] ?? 0) >= owned - 2, "\(service): \(reached[service] ?? 0) of \(owned)")
                        }
                    }
                }
            }
        }
    }
}

import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import ServiceKit

/// One port, two protocols, and the HTTP/2 service client — over real sockets.
@Suite("HTTP/1.1 + h2c server and the HTTP/2 service client")
struct DualProtocolServerTests {
    struct Echo: Codable, Sendable, Equatable {
        var user: String
        var httpVersion: String
        var connection: String
        var message: String
    }

    /// A service whose handler reports the protocol and the client connection it saw.
    func makeApp() throws -> some ApplicationProtocol {
        let core = ServiceCore(settings: try TestSettings.common(.rag), runtime: TestSettings.runtime())
        let router = core.makeRouter()
        router.post("/api/v1/echo") { request, context -> Response in
            let body = try await request.decode(as: [String: String].self, context: context)
            let echo = Echo(
                user: try context.userID(), httpVersion: HTTPVersionHeader.version(of: request),
                connection: "\(context.clientAddress?.port ?? -1)", message: body["message"] ?? "")
            return try context.responseEncoder.encode(echo, from: request, context: context)
        }
        router.get("/api/v1/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(2))
            return "late"
        }
        return try core.makeApplication(router: router, migrations: nil)
    }

    func client(port: Int, timeout: Duration = .seconds(5)) throws -> ServiceClient {
        try TestSettings.serviceClient(port: port, timeout: timeout)
    }

    @Test func onePortAnswersHTTP1AndH2C() async throws {
        try await makeApp().test(.live) { http1 in
            // HTTP/1.1, as curl and Cloud Run's probes speak it.
            try await http1.execute(uri: "/liveness", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"alive"}"#)
            }
            // HTTP/2 with prior knowledge, as Cloud Run --use-http2 and our own client speak it.
            let h2 = try client(port: http1.port!)
            let echo: Echo = try await h2.call(.post, "/api/v1/echo", body: ["message": "hi"], as: "alice")
            #expect(echo == Echo(user: "alice", httpVersion: "2", connection: echo.connection, message: "hi"))
            await h2.shutdown()
        }
    }

    /// 200 concurrent calls are multiplexed over the client's connections (one per event loop of
    /// its group), not a connection each.
    @Test func concurrentCallsShareTheClientsHTTP2Connections() async throws {
        try await makeApp().test(.live) { http1 in
            let h2 = try client(port: http1.port!)
            let echoes = try await withThrowingTaskGroup(of: Echo.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await h2.call(.post, "/api/v1/echo", body: ["message": "\(index)"], as: "user-\(index % 7)")
                    }
                }
                return try await group.reduce(into: [Echo]()) { $0.append($1) }
            }
            #expect(echoes.count == 200)
            #expect(Set(echoes.map(\.httpVersion)) == ["2"])
            #expect(Set(echoes.map(\.connection)).count == h2.upstreams.count)
            #expect(h2.upstreams.count == MultiThreadedEventLoopGroup.singleton.makeIterator().map { $0 }.count)
            #expect(Set(echoes.map(\.message)).count == 200)
            await h2.shutdown()
        }
    }

    @Test func theDeadlineEndsASlowCall() async throws {
        try await makeApp().test(.live) { http1 in
            let h2 = try client(port: http1.port!)
            let start = ContinuousClock.now
            await #expect(throws: ServiceClientError.self) {
                let _: String = try await h2.call(.get, "/api/v1/slow", as: "alice", timeout: .milliseconds(300), expecting: String.self)
            }
            #expect(ContinuousClock.now - start < .seconds(1.5))
            // The connection survives a timed-out stream (the default deadline, 5 s, is for a
            // loaded machine: only the slow call above has a tight one).
            let echo: Echo = try await h2.call(.post, "/api/v1/echo", body: ["message": "after"], as: "alice")
            #expect(echo.message == "after")
            await h2.shutdown()
        }
    }

    @Test func upstreamProblemsComeBackTyped() async throws {
        try await makeApp().test(.live) { http1 in
            let h2 = try client(port: http1.port!)
            do {
                let _: Echo = try await h2.call(.post, "/api/v1/echo", body: ["message": 5], as: "alice")
                Issue.record("a bad body was accepted")
            } catch ServiceClientError.status(let code, let problem) {
                #expect(code == 400)
                #expect(problem?.code == .invalidRequest)
                #expect(problem?.errors?.first?.field == "message")
            }
            await h2.shutdown()
        }
    }

    @Test func aRefusedConnectionFailsFast() async throws {
        let h2 = try client(port: 1)
        let start = ContinuousClock.now
        do {
            let _: Echo = try await h2.call(.get, "/api/v1/echo", as: "alice")
            Issue.record("connected to port 1")
        } catch ServiceClientError.connectionFailed {
        }
        #expect(ContinuousClock.now - start < .seconds(5), "refused, not hung")
    }

    @Test func requestIDAndProblemsOverBothProtocols() async throws {
        try await makeApp().test(.live) { http1 in
            try await http1.execute(uri: "/nowhere", method: .get, headers: [.xRequestID: "abc-123"]) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.xRequestID] == "abc-123")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await http1.execute(uri: "/liveness", method: .get, headers: [.xRequestID: "bad id with spaces"]) { response in
                #expect(response.headers[.xRequestID] != "bad id with spaces")
                #expect(RequestID.isValid(response.headers[.xRequestID] ?? ""))
            }
            let h2 = try client(port: http1.port!)
            let response = try await h2.execute(
                UpstreamRequest(
                    method: .get, path: "/nowhere", subject: "alice",
                    trace: .continuing("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), requestID: "req-9"))
            #expect(response.status == .notFound)
            #expect(response.headers[.xRequestID] == "req-9")
            let problem = try ApexJSON.makeDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
            #expect(problem.traceID == "0af7651916cd43dd8448eb211c80319c")
            await h2.shutdown()
        }
    }

    @Test func declaredOversizeBodiesAreRefusedBeforeReading() async throws {
        try await makeApp().test(.live) { http1 in
            try await http1.execute(
                uri: "/api/v1/echo", method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(repeating: UInt8(ascii: " "), count: 11 * 1024 * 1024)
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }
}

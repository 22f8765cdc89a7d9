import ApexTestSupport
import HTTPTypes
import NIOCore
import NIOHTTP2
import Testing

@testable import ServiceKit

/// What the service client does with a call the upstream did not process (RFC 9113 §8.7): a
/// refused stream is sent again whatever its method, other failures only when idempotent, and a
/// GOAWAY moves new calls to a new connection while the calls in flight finish on the old one.
@Suite("Service client: refused streams and GOAWAY")
struct UpstreamRefusalTests {
    func call(_ method: HTTPRequest.Method, port: Int, timeout: Duration = .seconds(5)) async throws -> UpstreamResponse {
        let client = try TestSettings.serviceClient(port: port, timeout: timeout)
        defer { Task { await client.shutdown() } }
        var request = UpstreamRequest(method: method, path: "/api/v1/anything", subject: "alice")
        if method == .post { request.body = ByteBuffer(string: #"{"a":1}"#) }
        return try await client.execute(request)
    }

    @Test(arguments: [HTTPRequest.Method.post, .get])
    func aRefusedStreamIsSentAgainWhateverTheMethod(method: HTTPRequest.Method) async throws {
        let server = ScriptedHTTP2Server { $0 == 1 ? .reset(.refusedStream) : .answer }
        let port = try await server.start()
        let response = try await call(method, port: port)
        #expect(response.status == .ok)
        #expect(String(buffer: response.body) == method.rawValue)
        #expect(server.seen.streams == 2)
        await server.stop()
    }

    /// The timeout covers the call, its second try included: a stream refused late leaves the
    /// retry only what is left, not a whole timeout again.
    @Test func theRetryGetsOnlyWhatTheFirstTryLeftOfTheTimeout() async throws {
        let server = ScriptedHTTP2Server { stream in
            switch stream {
            case 1: .answer  // the warm-up: the connection is made before the clock starts
            case 2: .resetAfter(.seconds(1), .refusedStream)
            default: .hang
            }
        }
        let port = try await server.start()
        let client = try TestSettings.serviceClient(port: port, timeout: .milliseconds(1500))
        #expect(try await client.execute(UpstreamRequest(method: .get, path: "/api/v1/warm-up", subject: "alice")).status == .ok)
        let start = ContinuousClock.now
        await #expect {
            try await client.execute(UpstreamRequest(method: .get, path: "/api/v1/anything", subject: "alice"))
        } throws: { error in
            guard case .timeout = error as? ServiceClientError else { return false }
            return true
        }
        let took = ContinuousClock.now - start
        // 1.5 s in all; a second whole timeout would make it 2.5 s.
        #expect(took < .milliseconds(2200), "took \(took)")
        #expect(server.seen.streams == 3)
        await client.shutdown()
        await server.stop()
    }

    @Test func aPostResetForAnotherReasonIsNotSentAgain() async throws {
        let server = ScriptedHTTP2Server { $0 == 1 ? .reset(.internalError) : .answer }
        let port = try await server.start()
        await #expect(throws: ServiceClientError.self) { try await call(.post, port: port) }
        #expect(server.seen.streams == 1)
        await server.stop()
    }

    @Test func aGetResetForAnotherReasonIsSentAgainOnce() async throws {
        let server = ScriptedHTTP2Server { $0 <= 2 ? .reset(.internalError) : .answer }
        let port = try await server.start()
        await #expect(throws: ServiceClientError.self) { try await call(.get, port: port) }
        #expect(server.seen.streams == 2)
        await server.stop()
    }

    @Test func aStreamRefusedTwiceFailsAsAConnectionFailure() async throws {
        let server = ScriptedHTTP2Server { _ in .reset(.refusedStream) }
        let port = try await server.start()
        await #expect {
            try await call(.post, port: port)
        } throws: { error in
            guard case .connectionFailed = error as? ServiceClientError else { return false }
            return true
        }
        #expect(server.seen.streams == 2)
        await server.stop()
    }

    @Test func afterAGoAwayNewCallsOpenANewConnectionWhileTheOldOneDrains() async throws {
        // The first stream gets GOAWAY naming it and its answer only 1.5 s later; the connection
        // stays open meanwhile, as a server in graceful shutdown keeps it.
        let server = ScriptedHTTP2Server { $0 == 1 ? .goAwayThenAnswer(after: .milliseconds(1500)) : .answer }
        let port = try await server.start()
        let client = try TestSettings.serviceClient(port: port, timeout: .seconds(5))
        async let first = client.execute(UpstreamRequest(method: .post, path: "/first", subject: "alice"))
        // Wait until the GOAWAY has arrived: the server has seen the first stream.
        while server.seen.streams < 1 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        let clock = ContinuousClock()
        let started = clock.now
        let second = try await client.execute(UpstreamRequest(method: .post, path: "/second", subject: "alice"))
        #expect(second.status == .ok)
        #expect(clock.now - started < .milliseconds(1000), "answered on a new connection, not after the drain")
        #expect(try await first.status == .ok, "the call in flight finished on the old connection")
        #expect(server.seen == .init(connections: 2, streams: 2))
        await client.shutdown()
        await server.stop()
    }
}

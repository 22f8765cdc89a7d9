import ApexTestSupport
import HTTPTypes
import NIOCore
import NIOHPACK
import Testing

@testable import ServiceKit

/// The frames of a service client call on the wire: a request ends on its last frame (no empty
/// DATA frame to end it), and every frame an answer may have is read.
@Suite("Service client: the frames of a call")
struct UpstreamFrameTests {
    @Test func aRequestEndsOnItsLastFrame() async throws {
        let server = ScriptedHTTP2Server { _ in .answer }
        let port = try await server.start()
        let client = try TestSettings.serviceClient(port: port, timeout: .seconds(5))
        _ = try await client.execute(UpstreamRequest(method: .get, path: "/api/v1/a", subject: "alice"))
        _ = try await client.execute(
            UpstreamRequest(method: .post, path: "/api/v1/b", body: ByteBuffer(string: #"{"a":1}"#), subject: "alice"))
        _ = try await client.execute(UpstreamRequest(method: .post, path: "/api/v1/c", body: ByteBuffer(), subject: "alice"))
        #expect(server.framesReceived == [["HEADERS+END"], ["HEADERS", "DATA+END"], ["HEADERS+END"]])
        await client.shutdown()
        await server.stop()
    }

    /// The client's own fields replace the caller's of the same name (the identity token always;
    /// `traceparent`, `X-Request-ID` and `content-length` when the call sets them), and the
    /// pseudo-header fields come first.
    @Test func theClientsFieldsReplaceTheCallersOfTheSameName() async throws {
        let server = ScriptedHTTP2Server { _ in .answer }
        let port = try await server.start()
        let client = try TestSettings.serviceClient(port: port, timeout: .seconds(5))
        let callers: HTTPFields = [
            .xApexIdentity: "forged", .traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            .xRequestID: "caller-id", .contentLength: "999", .init("x-custom")!: "kept",
        ]
        let trace = TraceContext(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7", sampled: true)
        _ = try await client.execute(
            UpstreamRequest(
                method: .post, path: "/api/v1/a", headers: callers, body: ByteBuffer(string: "{}"), subject: "alice", trace: trace,
                requestID: "own-id"))
        var withoutLength = callers
        withoutLength[.contentLength] = nil  // a GET's END_STREAM would contradict it
        _ = try await client.execute(UpstreamRequest(method: .get, path: "/api/v1/b", headers: withoutLength, subject: "alice"))
        let blocks = server.headerBlocksReceived
        try #require(blocks.count == 2)
        let (set, kept) = (blocks[0], blocks[1])
        #expect(Array(set.map(\.name).prefix(4)) == [":method", ":scheme", ":authority", ":path"])
        #expect(set[":path"] == ["/api/v1/a"])
        #expect(set["x-apex-identity"].count == 1 && set["x-apex-identity"] != ["forged"])
        #expect(set["traceparent"] == [trace.traceparent])
        #expect(set["x-request-id"] == ["own-id"])
        #expect(set["content-length"] == ["2"])
        #expect(set["x-custom"] == ["kept"])
        // Nothing set by the call: the caller's fields pass, except its identity token.
        #expect(kept["x-apex-identity"].count == 1 && kept["x-apex-identity"] != ["forged"])
        #expect(kept["traceparent"] == ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"])
        #expect(kept["x-request-id"] == ["caller-id"])
        await client.shutdown()
        await server.stop()
    }

    @Test func anInformationalAnswerBodyPartsAndTrailersMakeOneResponse() async throws {
        let server = ScriptedHTTP2Server { _ in .answerInParts }
        let port = try await server.start()
        let client = try TestSettings.serviceClient(port: port, timeout: .seconds(5))
        let response = try await client.execute(UpstreamRequest(method: .get, path: "/api/v1/a", subject: "alice"))
        #expect(response.status == .ok)
        #expect(String(buffer: response.body) == "ab")
        #expect(response.headers[.init("checksum")!] == nil, "trailers are not headers")
        await client.shutdown()
        await server.stop()
    }

    @Test func anAnswerWithoutStatusFailsTheCall() async throws {
        let server = ScriptedHTTP2Server { _ in .answerWithoutStatus }
        let port = try await server.start()
        let client = try TestSettings.serviceClient(port: port, timeout: .seconds(5))
        await #expect {
            try await client.execute(UpstreamRequest(method: .post, path: "/api/v1/a", subject: "alice"))
        } throws: { error in
            guard case .connectionFailed(let reason) = error as? ServiceClientError else { return false }
            return reason.contains("malformed")
        }
        await client.shutdown()
        await server.stop()
    }
}

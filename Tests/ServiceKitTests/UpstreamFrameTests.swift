import ApexTestSupport
import HTTPTypes
import NIOCore
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

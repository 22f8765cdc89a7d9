import ApexProtocol
import ApexTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Synchronization

/// A local stand-in for Gemini's `generateContent` and an OpenAI-compatible
/// `chat/completions`, served on loopback by a real Hummingbird server.
///
/// It checks what a real API would insist on (the key, the JSON-answer request) and answers by
/// the session's text: `MALFORMED` → prose instead of JSON, `UNAVAILABLE` → 503, otherwise two
/// memories, one of them quoting the session's first words so sessions give distinct memories.
final class LanguageModelStub: Sendable {
    static let geminiKey = "test-gemini-key"
    static let openAIKey = "sk-test"
    static let model = "stub-model"

    private let callCount = Atomic<Int>(0)
    var calls: Int { callCount.load(ordering: .relaxed) }

    func run<Value: Sendable>(_ body: @escaping @Sendable (_ baseURL: String) async throws -> Value) async throws -> Value {
        let router = Router()
        router.post("/v1beta/models/:call") { request, context in try await self.gemini(request, context: context) }
        router.post("/v1/chat/completions") { request, _ in try await self.openAI(request) }
        let app = Application(router: router, server: .deferredHTTP1(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await LingeringStub.run { try await body("http://127.0.0.1:\(client.port!)") } }
    }

    static func answer(for transcript: String) -> (status: HTTPResponse.Status, memories: String?) {
        if transcript.contains("UNAVAILABLE") { return (.serviceUnavailable, nil) }
        if transcript.contains("MALFORMED") { return (.ok, "Sure! The user seems to like tea.") }
        let opening = transcript.split(separator: " ").prefix(4).joined(separator: " ")
        let memories: JSONValue = [
            "memories": [
                ["text": "Prefers window seats", "category": "preference", "confidence": 0.9],
                ["text": .string("Said: \(opening)"), "category": "Session Notes"],
            ]
        ]
        return (.ok, String(decoding: try! ApexJSON.encode(memories), as: UTF8.self))
    }

    private func gemini(_ request: Request, context: some RequestContext) async throws -> Response {
        callCount.add(1, ordering: .relaxed)
        guard context.parameters.get("call") == "\(Self.model):generateContent" else { return Response(status: .notFound) }
        guard request.headers[HTTPField.Name("x-goog-api-key")!] == Self.geminiKey else { return Response(status: .unauthorized) }
        let body = try await Self.json(request)
        guard body["generationConfig"]?["responseMimeType"] == "application/json", body["systemInstruction"] != nil,
            let transcript = body["contents"]?[0]?["parts"]?[0]?["text"]?.stringValue
        else { return Response(status: .badRequest) }
        let (status, memories) = Self.answer(for: transcript)
        guard let memories else { return Response(status: status) }
        return Self.respond([
            "candidates": [["content": ["role": "model", "parts": [["text": .string(memories)]]], "finishReason": "STOP"]]
        ])
    }

    private func openAI(_ request: Request) async throws -> Response {
        callCount.add(1, ordering: .relaxed)
        guard request.headers[.authorization] == "Bearer \(Self.openAIKey)" else { return Response(status: .unauthorized) }
        let body = try await Self.json(request)
        guard body["model"]?.stringValue == Self.model, body["response_format"]?["type"] == "json_object",
            body["messages"]?[0]?["role"] == "system", let transcript = body["messages"]?[1]?["content"]?.stringValue
        else { return Response(status: .badRequest) }
        let (status, memories) = Self.answer(for: transcript)
        guard let memories else { return Response(status: status) }
        return Self.respond(["choices": [["index": 0, "message": ["role": "assistant", "content": .string(memories)]]]])
    }

    private static func json(_ request: Request) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return try ApexJSON.decode(JSONValue.self, from: Data(buffer: buffer))
    }

    private static func respond(_ value: JSONValue) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try! ApexJSON.encode(value))))
    }
}

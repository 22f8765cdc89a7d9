import ApexTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceKit
import Synchronization

/// A scripted embeddings server on 127.0.0.1 (ephemeral port) standing in for Gemini or an
/// OpenAI-compatible host: it records every request and answers what the test's script says.
final class EmbeddingStubServer: Sendable {
    /// One request as the stub received it.
    struct Received: Sendable {
        var method: String
        var path: String
        var query: String
        /// Header names lower-cased.
        var headers: [String: String]
        var body: Data

        /// The body as a JSON object (tests read fields from it).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
    }

    /// What the stub answers to one request.
    struct Answer: Sendable {
        var status: HTTPResponse.Status = .ok
        var headers: [String: String] = [:]
        var body: String
        /// Wait this long before answering (to provoke the client's timeout).
        var delay: Duration?

        static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Answer {
            let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return Answer(status: status, body: String(decoding: data, as: UTF8.self))
        }
    }

    /// Called with the 1-based number of the request and the request itself.
    typealias Script = @Sendable (_ call: Int, _ request: Received) async -> Answer

    private let log = Mutex<[Received]>([])
    private let script: Script

    init(_ script: @escaping Script) {
        self.script = script
    }

    /// Every request received so far, in arrival order.
    var received: [Received] { log.withLock { $0 } }

    /// Runs `test` with the stub's base URL (`http://127.0.0.1:<port>`), then stops the stub.
    func run<Value: Sendable>(_ test: @Sendable (URL) async throws -> Value) async throws -> Value {
        let responder = CallbackResponder<BasicRequestContext> { [self] request, _ in
            let body = try await request.body.collect(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = Received(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                headers: headers, body: Data(body.readableBytesView))
            let call = log.withLock { log in
                log.append(received)
                return log.count
            }
            let answer = await script(call, received)
            if let delay = answer.delay { try? await Task.sleep(for: delay) }
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            for (name, value) in answer.headers { fields[HTTPField.Name(name)!] = value }
            return Response(status: answer.status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        var logger = Logger(label: "embedding-stub")
        logger.logLevel = .critical
        let app = Application(
            responder: responder, server: .deferredHTTP1(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            try await LingeringStub.run { try await test(URL(string: "http://127.0.0.1:\(client.port!)")!) }
        }
    }
}

/// Vectors whose direction identifies the text they stand for, so tests can check order and
/// normalisation: text `t<n>` maps to `[n + 1, 1, 0, 0, …]` (not unit length on purpose).
enum StubVectors {
    static func raw(for text: String, dimension: Int) -> [Double] {
        var vector = [Double](repeating: 0, count: dimension)
        vector[0] = Double((Int(text.dropFirst()) ?? 0) + 1)
        if dimension > 1 { vector[1] = 1 }
        return vector
    }

    /// The `n` of `t<n>` a returned unit vector stands for.
    static func text(of vector: [Float]) -> String {
        "t\(Int((vector[0] / vector[1]).rounded()) - 1)"
    }

    static func norm(_ vector: [Float]) -> Float {
        vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}

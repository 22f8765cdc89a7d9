import ApexProtocol
import ApexTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Synchronization

@testable import Gateway

/// A stand-in backend built on ServiceKit (so it verifies internal identity like the real ones):
/// it reports who called, over which HTTP version, and can be slow on purpose.
enum FakeBackend {
    struct Echo: Codable, Sendable {
        var service: String
        var user: String
        var httpVersion: String
        var path: String
        var body: String
    }

    static func make(
        _ service: ServiceName, hits: Counter = Counter(), cancelled: Counter = Counter(), environment: [String: String] = [:]
    ) throws -> some ApplicationProtocol {
        let core = ServiceCore(settings: try TestSettings.common(service, environment), runtime: TestSettings.runtime())
        let router = core.makeRouter()
        let respond: @Sendable (Request, ApexRequestContext) async throws -> Response = { request, context in
            hits.increment()
            let body = try await request.body.collect(upTo: 20 << 20)
            let echo = Echo(
                service: service.rawValue, user: try context.userID(), httpVersion: HTTPVersionHeader.version(of: request),
                path: request.uri.description, body: String(buffer: body))
            return try context.responseEncoder.encode(echo, from: request, context: context)
        }
        router.get("/api/v1/documents", use: respond)
        router.post("/api/v1/documents", use: respond)
        // The router does not fall back from a matched path to `/api/v1/**` below for another
        // method, so the other methods of these paths are echoed too.
        router.get("/api/v1/jobs", use: respond)
        router.post("/api/v1/jobs", use: respond)
        router.get("/api/v1/memories", use: respond)
        router.post("/api/v1/memories", use: respond)
        for method in [HTTPRequest.Method.post, .patch, .delete] { router.on("/api/v1/memories/{id}", method: method, use: respond) }
        router.get("/api/v1/memories/{id}") { _, _ -> String in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                cancelled.increment()
                throw error
            }
            return "too late"
        }
        router.post("/api/v1/search") { request, context -> SearchResponse in
            hits.increment()
            let body = try await request.decode(as: SearchRequest.self, context: context)
            let hit = SearchHit(
                chunkID: "c1", documentID: "d1", filename: "doc-for-\(try context.userID()).md", chunkIndex: 0, content: body.query,
                score: 0.5, vectorRank: 1, keywordRank: nil)
            return SearchResponse(query: body.query, mode: .hybrid, results: [hit])
        }
        router.post("/api/v1/memories/search") { request, context -> MemorySearchResponse in
            hits.increment()
            _ = try await request.decode(as: MemorySearchRequest.self, context: context)
            try await Task.sleep(for: .seconds(30))
            return MemorySearchResponse(results: [])
        }
        // Everything else this backend might own answers too, so a 404 seen through the gateway is
        // the gateway's own.
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] { router.on("/api/v1/**", method: method, use: respond) }
        return try core.makeApplication(router: router, migrations: nil)
    }

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        init() {}
        func increment() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }
}

/// A signer and a JWKS file publishing its key, for `AUTH_JWKS_FILE`; `remove()` deletes the file.
struct SignerKeyFile {
    let signer: FirebaseTokenFactory
    let path: String

    init() throws {
        signer = try FirebaseTokenFactory()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID()).json")
        try FirebaseTokenFactory.jwks([signer]).write(to: file)
        path = file.path
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

enum GatewayTestApp {
    static func settings(rag: Int, memory: Int, scheduler: Int, _ overrides: [String: String] = [:]) throws -> GatewaySettings {
        var values = [
            "RAG_URL": "http://127.0.0.1:\(rag)", "MEMORY_URL": "http://127.0.0.1:\(memory)",
            "SCHEDULER_URL": "http://127.0.0.1:\(scheduler)",
            "FIREBASE_PROJECT_ID": "apex-test", "UPSTREAM_TIMEOUT_MS": "1500", "CONTEXT_TIMEOUT_MS": "800",
        ]
        values.merge(overrides) { _, new in new }
        return try GatewaySettings(environment: TestSettings.environment(values))
    }
}

extension TestResponse {
    var problem: ProblemDetails? { try? ApexJSON.makeDecoder().decode(ProblemDetails.self, from: Data(buffer: body)) }
}

import ApexProtocol
import Foundation
import Hummingbird
import Logging
import ServiceKit

/// The backend behind the gateway and behind nginx: a ServiceKit service assembled like the real
/// ones (`core.makeRouter()`: tracing, problem and internal-identity middleware, dual HTTP/1.1 +
/// h2c port) with one route, `GET /api/v1/documents`, answering a fixed two-document page. It
/// never touches the database, so the benchmark measures the proxy, not Postgres; ServiceCore
/// still needs `DATABASE_URL` to build its (idle) client.
enum BenchBackend {
    static func serve(port: Int) async throws {
        var values = ProcessInfo.processInfo.environment
        values["PORT"] = String(port)
        values["HOST"] = "127.0.0.1"
        values["LOG_LEVEL"] = values["LOG_LEVEL"] ?? "warning"
        let settings = try ServiceSettings(service: .rag, environment: EnvironmentReader(values))
        var logger = Logger(label: "bench-gateway-backend")
        logger.logLevel = settings.logLevel
        let core = ServiceCore(settings: settings, runtime: ServiceRuntime(logger: logger))
        let router = core.makeRouter()
        let page = samplePage()
        router.get("/api/v1/documents") { request, context -> Response in
            _ = try context.userID()
            return try context.responseEncoder.encode(page, from: request, context: context)
        }
        let app = try core.makeApplication(router: router, migrations: nil)
        try await app.runService()
    }

    /// About 500 bytes of JSON: a "small GET".
    static func samplePage() -> Page<Document> {
        let indexed = Date(timeIntervalSince1970: 1_790_000_000)
        let items = (1...2).map { index in
            Document(
                id: "0193a5f0-0000-7000-8000-00000000000\(index)", filename: "notes-\(index).md", docType: .markdown,
                fileHash: String(repeating: "ab", count: 32), totalChunks: 3 * index, indexedAt: indexed)
        }
        return Page(items: items, nextCursor: nil)
    }
}

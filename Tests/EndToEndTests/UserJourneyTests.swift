import ApexProtocol
import ApexTestSupport
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Memory
import NIOCore
import Rag
import Scheduler
import ServiceKit
import Testing

/// All four services in-process on ephemeral ports with the real PostgreSQL: a user walks through
/// the product through the public gateway (HTTP/1.1 in, HTTP/2 to the backends), and a second
/// user sees none of it.
@Suite("End to end through the gateway")
struct UserJourneyTests {
    @Test func aUserWalksThroughAndAnotherSeesNothing() async throws {
        let signer = try FirebaseTokenFactory(projectID: "apex-e2e")
        let jwksFile = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-jwks-\(UUID()).json")
        try FirebaseTokenFactory.jwks([signer]).write(to: jwksFile)
        defer { try? FileManager.default.removeItem(at: jwksFile) }
        let alice = "e2e-alice-\(UUID().uuidString.prefix(8))"
        let bob = "e2e-bob-\(UUID().uuidString.prefix(8))"
        let runtime = TestSettings.runtime()
        let backendEnvironment = ["EMBEDDING_PROVIDER": "hash"]

        let rag = try await buildApplication(
            settings: RagSettings(environment: TestSettings.environment(backendEnvironment)), runtime: runtime)
        let memory = try await buildApplication(
            settings: MemorySettings(environment: TestSettings.environment(backendEnvironment)), runtime: runtime)
        try await rag.test(.live) { ragClient in
            try await memory.test(.live) { memoryClient in
                let schedulerSettings = try SchedulerSettings(
                    environment: TestSettings.environment([
                        "MEMORY_URL": "http://127.0.0.1:\(memoryClient.port!)", "TICK_INTERVAL_SECONDS": "0", "TASK_WORKERS": "2",
                    ]))
                let scheduler = try await buildApplication(settings: schedulerSettings, runtime: runtime, scope: .users([alice, bob]))
                try await scheduler.test(.live) { schedulerClient in
                    let gatewaySettings = try GatewaySettings(
                        environment: TestSettings.environment([
                            "RAG_URL": "http://127.0.0.1:\(ragClient.port!)", "MEMORY_URL": "http://127.0.0.1:\(memoryClient.port!)",
                            "SCHEDULER_URL": "http://127.0.0.1:\(schedulerClient.port!)", "FIREBASE_PROJECT_ID": "apex-e2e",
                            "AUTH_JWKS_FILE": jwksFile.path, "RATE_LIMIT_BURST": "1000",
                        ]))
                    try await buildApplication(settings: gatewaySettings, runtime: runtime).test(.live) { gateway in
                        let a = Walker(client: gateway, token: try signer.token(sub: alice))
                        let b = Walker(client: gateway, token: try signer.token(sub: bob))
                        try await journey(a, b)
                    }
                }
            }
        }
    }

    func journey(_ a: Walker, _ b: Walker) async throws {
        // Ingest and search.
        let document = try await a.expect(
            .created, .post, "/api/v1/documents",
            #"{"filename": "tea.md", "content": "Green tea is steeped at 80 degrees for two minutes. Oolong tea likes hotter water."}"#)
        let documentID = try #require(document["id"]?.stringValue)
        let search = try await a.expect(.ok, .post, "/api/v1/search", #"{"query": "how hot should water be for green tea"}"#)
        #expect(search["results"]?.arrayValue?.first?.objectValue?["document_id"]?.stringValue == documentID)

        // Remember, then ask for context.
        _ = try await a.expect(
            .created, .post, "/api/v1/memories", #"{"text": "I prefer green tea without sugar", "category": "preferences"}"#)
        let context = try await a.expect(.ok, .post, "/api/v1/context", #"{"query": "green tea"}"#)
        #expect(context["partial"] == .bool(false))
        #expect(context["memories"]?.arrayValue?.isEmpty == false)
        #expect(context["documents"]?.arrayValue?.isEmpty == false)

        // A job, run now, lands in the inbox.
        let job = try await a.expect(
            .created, .post, "/api/v1/jobs",
            #"{"name": "tea reminder", "cron_expression": "0 9 * * *", "timezone": "Europe/Berlin", "action": {"type": "notify", "title": "Tea time", "body": "Steep at 80 degrees"}}"#
        )
        let jobID = try #require(job["id"]?.stringValue)
        #expect(job["next_run"] != nil && job["next_run"] != .null)
        _ = try await a.expect(.accepted, .post, "/api/v1/jobs/\(jobID)/run", nil)
        var inbox: [JSONValue] = []
        for _ in 0..<100 {
            inbox = try await a.expect(.ok, .get, "/api/v1/inbox", nil)["items"]?.arrayValue ?? []
            if !inbox.isEmpty { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(inbox.first?.objectValue?["title"]?.stringValue == "Tea time", "\(inbox)")
        let unread = try await a.expect(.ok, .get, "/api/v1/inbox/unread_count", nil)
        #expect(unread["unread"] == .number(1))

        // The second user sees none of it.
        for path in ["/api/v1/documents", "/api/v1/memories", "/api/v1/jobs", "/api/v1/inbox"] {
            let page = try await b.expect(.ok, .get, path, nil)
            #expect(page["items"]?.arrayValue?.isEmpty == true, "\(path)")
        }
        _ = try await b.expect(.notFound, .get, "/api/v1/documents/\(documentID)", nil)
        _ = try await b.expect(.notFound, .get, "/api/v1/jobs/\(jobID)", nil)
        _ = try await b.expect(.notFound, .post, "/api/v1/jobs/\(jobID)/run", nil)
        let bSearch = try await b.expect(.ok, .post, "/api/v1/search", #"{"query": "green tea"}"#)
        #expect(bSearch["results"]?.arrayValue?.isEmpty == true)
        let bContext = try await b.expect(.ok, .post, "/api/v1/context", #"{"query": "green tea"}"#)
        #expect(bContext["memories"]?.arrayValue?.isEmpty == true && bContext["documents"]?.arrayValue?.isEmpty == true)
        let bUnread = try await b.expect(.ok, .get, "/api/v1/inbox/unread_count", nil)
        #expect(bUnread["unread"] == .number(0))
        let me = try await b.expect(.ok, .get, "/api/v1/me", nil)
        #expect(me["auth"]?.stringValue == "firebase")
    }
}

/// One user's HTTP calls through the gateway.
struct Walker {
    let client: any TestClientProtocol
    let token: String

    func expect(
        _ status: HTTPResponse.Status, _ method: HTTPRequest.Method, _ path: String, _ body: String?
    ) async throws -> [String: JSONValue] {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        #expect(response.status == status, "\(method) \(path): \(String(buffer: response.body).prefix(300))")
        guard response.body.readableBytes > 0 else { return [:] }
        return (try? ApexJSON.makeDecoder().decode(JSONValue.self, from: Data(buffer: response.body)))?.objectValue ?? [:]
    }
}

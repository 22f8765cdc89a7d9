import ApexProtocol
import ApexTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import PostgresNIO
import ServiceKit
import Testing

@testable import Gateway

@Suite("Gateway operations: retention, metrics token, readiness, HSTS, the audit buffer")
struct OperationsTests {
    /// Runs in a database of its own: a sweep is system-wide, so it would take other tests' rows
    /// (and theirs this test's).
    @Test func retentionDeletesSecurityLogsPastNinetyDaysForTheSystemIdentityOnly() async throws {
        try await TestDatabase.withScratchDatabase { url in
            let scratch = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url, "DB_ACQUIRE_TIMEOUT_MS": "3000"]))
            let settings = try GatewayTestApp.settings(
                rag: 1, memory: 1, scheduler: 1, ["AUTH_DISABLED": "1", "DATABASE_URL": url, "SECURITY_LOG_RETENTION_DAYS": "90"])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                try await TestDatabase.withDatabase(settings: scratch) { database in
                    try await database.withTransaction(.system) { connection in
                        for (age, marker) in [(91, "past"), (89, "within"), (0, "today")] {
                            try await connection.query(
                                """
                                INSERT INTO gateway.security_logs (occurred_at, event, method, path, status, detail)
                                VALUES (now() - \(age) * interval '1 day', 'auth_failed', 'GET', '/api/v1/documents', 401,
                                        jsonb_build_object('detail', \(marker)::text))
                                """, logger: database.logger)
                        }
                    }
                }

                let anonymous = try await client.execute(uri: "/internal/retention", method: .post)
                #expect(anonymous.status == .unauthorized)
                let user: HTTPFields = [.xApexIdentity: TestSettings.token(for: .gateway, subject: "user-a", from: .scheduler)]
                #expect(try await client.execute(uri: "/internal/retention", method: .post, headers: user).status == .forbidden)

                let system: HTTPFields = [.xApexIdentity: TestSettings.token(for: .gateway, subject: "system", from: .scheduler)]
                let swept = try await client.execute(uri: "/internal/retention", method: .post, headers: system)
                #expect(swept.status == .ok)
                let deleted = try ApexJSON.makeDecoder().decode(RetentionResponse.self, from: Data(buffer: swept.body)).deleted
                #expect(deleted == ["security_logs": 1])
                let again = try await client.execute(uri: "/internal/retention", method: .post, headers: system)
                #expect(
                    try ApexJSON.makeDecoder().decode(RetentionResponse.self, from: Data(buffer: again.body)).deleted == [
                        "security_logs": 0
                    ])

                let left = try await TestDatabase.withDatabase(settings: scratch) { database in
                    try await database.withTransaction(.system) { connection in
                        var markers: [String] = []
                        let rows = try await connection.query(
                            "SELECT detail->>'detail' FROM gateway.security_logs ORDER BY occurred_at", logger: database.logger)
                        for try await marker in rows.decode(String.self) { markers.append(marker) }
                        return markers
                    }
                }
                #expect(left == ["within", "today"])
            }
        }
    }

    /// The router skips empty path segments, so `//internal/retention` reaches the retention route:
    /// the checks must go by the route, not by the path as sent.
    @Test func emptyPathSegmentsSkipNoCheck() async throws {
        let keys = try SignerKeyFile()
        defer { keys.remove() }
        let signer = keys.signer
        try await FakeBackend.make(.rag).test(.live) { rag in
            let settings = try GatewayTestApp.settings(
                rag: rag.port!, memory: 1, scheduler: 1, ["AUTH_JWKS_FILE": keys.path, "RATE_LIMIT_ANON_BURST": "1000"])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.live) { client in
                for path in ["//internal/retention", "/internal//retention", "///internal/retention/"] {
                    let response = try await client.execute(uri: path, method: .post)
                    #expect(response.status == .unauthorized, "\(path)")
                    #expect(response.problem?.detail.contains("X-Apex-Identity") == true, "\(path): \(String(buffer: response.body))")
                }
                for (path, method) in [("//api/v1/me", HTTPRequest.Method.get), ("//api/v1/documents", .get), ("/api//v1/context", .post)] {
                    let response = try await client.execute(
                        uri: path, method: method, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"query": "q"}"#)
                    )
                    #expect(response.status == .unauthorized, "\(path)")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(path): the edge check answered")
                    #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] != nil, "\(path): the client's bucket was charged")
                }
                // With a valid token such a path is not a resource of the API: 404, never forwarded.
                let token = try signer.token(sub: "double-slash-user")
                for path in ["//api/v1/documents", "/api/v1//documents"] {
                    let response = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"])
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.problem?.code == .notFound, "\(path)")
                }
            }
        }
    }

    @Test func metricsNeedTheBearerTokenWhenOneIsSet() async throws {
        let settings = try GatewayTestApp.settings(
            rag: 1, memory: 1, scheduler: 1, ["AUTH_DISABLED": "1", "METRICS_TOKEN": "metrics-secret-for-the-test"])
        try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
            let missing = try await client.execute(uri: "/metrics", method: .get)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.contentType] == "application/problem+json")
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            #expect(!String(buffer: missing.body).contains("apex_"))
            let wrong = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-secret-for-the-tesT"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-secret-for-the-test"])
            #expect(right.status == .ok)
            #expect(String(buffer: right.body).contains("# TYPE"))
            // Health stays open: probes carry no token.
            #expect(try await client.execute(uri: "/liveness", method: .get).status == .ok)
        }
    }

    @Test func readinessIncludesEveryUpstreamsReadiness() async throws {
        try await FakeBackend.make(.rag).test(.live) { rag in
            try await FakeBackend.make(.memory).test(.live) { memory in
                // The scheduler is down: nothing listens on port 1.
                let oneDown = try GatewayTestApp.settings(rag: rag.port!, memory: memory.port!, scheduler: 1, ["AUTH_DISABLED": "1"])
                try await buildApplication(settings: oneDown, runtime: TestSettings.runtime()).test(.router) { client in
                    let response = try await client.execute(uri: "/readiness", method: .get)
                    #expect(response.status == .serviceUnavailable)
                    #expect(String(buffer: response.body).contains("scheduler_not_ready"), "\(String(buffer: response.body))")
                }
                try await FakeBackend.make(.scheduler).test(.live) { scheduler in
                    let allUp = try GatewayTestApp.settings(
                        rag: rag.port!, memory: memory.port!, scheduler: scheduler.port!, ["AUTH_DISABLED": "1"])
                    try await buildApplication(settings: allUp, runtime: TestSettings.runtime()).test(.router) { client in
                        let response = try await client.execute(uri: "/readiness", method: .get)
                        #expect(response.status == .ok, "\(String(buffer: response.body))")
                    }
                }
            }
        }
    }

    /// On Cloud Run (`K_SERVICE` set) every answer carries HSTS and the other security headers:
    /// forwarded on the event loop or through the router, the gateway's own errors, 404 and 405,
    /// and the health endpoints.
    @Test(arguments: [true, false])
    func productionAddsStrictTransportSecurity(forwardsOnEventLoop: Bool) async throws {
        let keys = try SignerKeyFile()
        defer { keys.remove() }
        let signer = keys.signer
        try await FakeBackend.make(.rag).test(.live) { rag in
            let settings = try GatewayTestApp.settings(
                rag: rag.port!, memory: 1, scheduler: 1,
                ["K_SERVICE": "apex-gateway", "AUTH_JWKS_FILE": keys.path, "CORS_ORIGINS": "https://app.example.com"])
            #expect(settings.common.isProduction)
            let app = try await buildApplication(
                settings: settings, runtime: TestSettings.runtime(), forwardsOnEventLoop: forwardsOnEventLoop)
            try await app.test(.live) { client in
                let token = try signer.token(sub: "hsts-user")
                let forwarded = try await client.execute(
                    uri: "/api/v1/documents", method: .get, headers: [.authorization: "Bearer \(token)"])
                // The token is known now: this one is forwarded on the event loop when that is on.
                let forwardedAgain = try await client.execute(
                    uri: "/api/v1/documents", method: .get, headers: [.authorization: "Bearer \(token)"])
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                let shortcutForwards = metrics.split(separator: "\n").first { $0.hasPrefix("apex_shortcut_forwards_total") }
                    .flatMap { Double($0.split(separator: " ").last ?? "") }
                #expect(forwardsOnEventLoop ? shortcutForwards == 1 : shortcutForwards == 0, "\(String(describing: shortcutForwards))")
                let refused = try await client.execute(uri: "/api/v1/documents", method: .get)
                let health = try await client.execute(uri: "/liveness", method: .get)
                let unknown = try await client.execute(
                    uri: "/api/v1/nothing-here", method: .get, headers: [.authorization: "Bearer \(token)"])
                let wrongMethod = try await client.execute(
                    uri: "/api/v1/search", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(forwarded.status == .ok)
                #expect(forwardedAgain.status == .ok)
                #expect(refused.status == .unauthorized)
                #expect(health.status == .ok)
                #expect(unknown.status == .notFound)
                #expect(wrongMethod.status == .methodNotAllowed)
                for response in [forwarded, forwardedAgain, refused, health, unknown, wrongMethod] {
                    #expect(response.headers[.strictTransportSecurity]?.hasPrefix("max-age=") == true, "\(response.status)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                }
            }
        }
    }

    /// A request only appends to the buffer; when it is full the event is dropped and counted,
    /// never waited for. No writer runs here, as if the database were stalled.
    @Test func aFullAuditBufferDropsAndCounts() async throws {
        let metrics = ServiceMetrics(service: "gateway")
        try await TestDatabase.withDatabase { database in
            let audit = SecurityAuditLog(capacity: 2, database: database, logger: Logger(label: "test"), metrics: metrics)
            let channel = EmbeddedChannel()
            let context = ApexRequestContext(source: .init(channel: channel, logger: Logger(label: "test")))
            let request = Request(
                head: HTTPRequest(method: .get, scheme: "http", authority: "gateway", path: "/api/v1/documents"),
                body: RequestBody(buffer: ByteBuffer()))
            let clock = ContinuousClock()
            let took = clock.measure {
                for _ in 0..<5 {
                    audit.record(.rateLimited, request: request, context: context, status: 429, detail: "test")
                }
            }
            #expect(audit.pending == 2)
            #expect(metrics.exposition().contains(#"apex_security_events_dropped_total{service="gateway"} 3"#), "\(metrics.exposition())")
            #expect(took < .milliseconds(100))
            _ = try channel.finish()
        }
    }
}

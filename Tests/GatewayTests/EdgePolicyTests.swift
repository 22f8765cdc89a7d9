import ApexProtocol
import ApexTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import ServiceKit
import Testing

@testable import Gateway

@Suite("Gateway edge: CORS, security headers, limits, rate limiting, audit")
struct EdgePolicyTests {
    @Test func corsAndSecurityHeaders() async throws {
        try await FakeBackend.make(.rag).test(.live) { rag in
            let settings = try GatewayTestApp.settings(
                rag: rag.port!, memory: 1, scheduler: 1,
                ["AUTH_DISABLED": "1", "CORS_ORIGINS": "https://app.example.com, https://admin.example.com"])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                let preflight = try await client.execute(
                    uri: "/api/v1/documents", method: .options,
                    headers: [
                        .origin: "https://app.example.com", .accessControlRequestMethod: "POST",
                        .accessControlRequestHeaders: "content-type",
                    ])
                #expect(preflight.status == .noContent)
                #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example.com")
                #expect(preflight.headers[.accessControlAllowCredentials] == "true")
                #expect(preflight.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
                #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
                #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Content-Type") == true)
                #expect(preflight.headers[.vary] == "Origin")

                let refused = try await client.execute(
                    uri: "/api/v1/documents", method: .options,
                    headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
                #expect(refused.status == .forbidden)
                #expect(refused.headers[.accessControlAllowOrigin] == nil)

                let allowed = try await client.execute(
                    uri: "/api/v1/documents", method: .get, headers: [.origin: "https://admin.example.com"])
                #expect(allowed.status == .ok)
                #expect(allowed.headers[.accessControlAllowOrigin] == "https://admin.example.com")
                let other = try await client.execute(uri: "/api/v1/documents", method: .get, headers: [.origin: "https://evil.example"])
                #expect(other.headers[.accessControlAllowOrigin] == nil)
                #expect(other.headers[.vary] == "Origin")

                for response in [allowed, other, preflight, refused] {
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                    #expect(response.headers[.cacheControl] == "no-store")
                    #expect(response.headers[.strictTransportSecurity] == nil, "HSTS only in production")
                }
            }
        }
    }

    @Test func productionRefusesAWildcardOrigin() throws {
        let production = ["K_SERVICE": "gateway", "INTERNAL_AUTH_SECRET": String(repeating: "x", count: 40)]
        let error = #expect(throws: ConfigurationError.self) {
            try GatewayTestApp.settings(rag: 1, memory: 1, scheduler: 1, production.merging(["CORS_ORIGINS": "*"]) { _, new in new })
        }
        #expect(error?.variable == "CORS_ORIGINS")
        // The same production settings with exact origins start.
        let exact = try GatewayTestApp.settings(
            rag: 1, memory: 1, scheduler: 1, production.merging(["CORS_ORIGINS": "https://app.example.com"]) { _, new in new })
        #expect(exact.corsOrigins == ["https://app.example.com"])
        // Without K_SERVICE, `*` is for development only: refused while users are authenticated
        // (a Kubernetes production), accepted with AUTH_DISABLED=1.
        let authenticated = #expect(throws: ConfigurationError.self) {
            try GatewayTestApp.settings(rag: 1, memory: 1, scheduler: 1, ["CORS_ORIGINS": "*"])
        }
        #expect(authenticated?.variable == "CORS_ORIGINS")
        #expect(
            try GatewayTestApp.settings(rag: 1, memory: 1, scheduler: 1, ["CORS_ORIGINS": "*", "AUTH_DISABLED": "1"]).corsOrigins == ["*"])
    }

    /// `CORS_ORIGINS=*` in development: any origin may call, and still gets its own origin back
    /// (credentials are allowed, so never a literal `*`).
    @Test func aWildcardOriginAllowsEveryOriginInDevelopment() async throws {
        try await FakeBackend.make(.rag).test(.live) { rag in
            let settings = try GatewayTestApp.settings(
                rag: rag.port!, memory: 1, scheduler: 1, ["AUTH_DISABLED": "1", "CORS_ORIGINS": "*"])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                let preflight = try await client.execute(
                    uri: "/api/v1/documents", method: .options,
                    headers: [.origin: "http://localhost:5173", .accessControlRequestMethod: "POST"])
                #expect(preflight.status == .noContent)
                #expect(preflight.headers[.accessControlAllowOrigin] == "http://localhost:5173")
                let get = try await client.execute(uri: "/api/v1/documents", method: .get, headers: [.origin: "https://any.example"])
                #expect(get.status == .ok)
                #expect(get.headers[.accessControlAllowOrigin] == "https://any.example")
            }
        }
    }

    @Test func bodyLimitsMediaTypesAndMalformedJSON() async throws {
        try await FakeBackend.make(.rag).test(.live) { rag in
            let settings = try GatewayTestApp.settings(
                rag: rag.port!, memory: 1, scheduler: 1, ["AUTH_DISABLED": "1", "MAX_BODY_BYTES": "4096"])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                let big = try await client.execute(
                    uri: "/api/v1/documents", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 5000))
                #expect(big.status == .contentTooLarge)
                #expect(big.problem?.code == .payloadTooLarge)
                #expect(big.headers[.contentType] == "application/problem+json")
                #expect(big.headers[.xContentTypeOptions] == "nosniff", "the security headers cover a 413 too")
                #expect(big.headers[.cacheControl] == "no-store")
                let wrongType = try await client.execute(
                    uri: "/api/v1/context", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "hello"))
                #expect(wrongType.status == .unsupportedMediaType)
                #expect(wrongType.problem?.status == 415)
                #expect(wrongType.headers[.contentType] == "application/problem+json")
                let malformed = try await client.execute(
                    uri: "/api/v1/context", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{nope"))
                #expect(malformed.status == .badRequest)
                #expect(malformed.problem?.code == .invalidRequest)
                #expect(malformed.headers[.contentType] == "application/problem+json")
                let unknown = try await client.execute(uri: "/api/v1/nothing-here", method: .get)
                #expect(unknown.status == .notFound)
                #expect(unknown.headers[.contentType] == "application/problem+json")
                let wrongMethod = try await client.execute(uri: "/api/v1/search", method: .get)
                #expect(wrongMethod.status == .methodNotAllowed)
                #expect(wrongMethod.headers[.allow] == "POST")
            }
        }
    }

    @Test func rateLimitsPerUserAndPerIPWithHeadersAndAuditRows() async throws {
        let keys = try SignerKeyFile()
        defer { keys.remove() }
        let signer = keys.signer
        let user = "rl-\(UUID().uuidString.prefix(8))"
        // Marks this test's anonymous refusals and refused preflight among the other tests' rows.
        let anonymousPath = "/api/v1/documents/\(UUID().uuidString.lowercased())"
        let refusedOrigin = "https://\(user.lowercased()).evil.example"
        try await FakeBackend.make(.rag).test(.live) { rag in
            let settings = try GatewayTestApp.settings(
                rag: rag.port!, memory: 1, scheduler: 1,
                [
                    "AUTH_JWKS_FILE": keys.path, "RATE_LIMIT_RPS": "0.05", "RATE_LIMIT_BURST": "3", "RATE_LIMIT_ANON_RPS": "0.05",
                    "RATE_LIMIT_ANON_BURST": "2",
                ])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.live) { client in
                let token = try signer.token(sub: user)
                var statuses: [HTTPResponse.Status] = []
                var last: TestResponse?
                for _ in 0..<5 {
                    let response = try await client.execute(
                        uri: "/api/v1/documents", method: .get, headers: [.authorization: "Bearer \(token)"])
                    statuses.append(response.status)
                    last = response
                }
                #expect(statuses == [.ok, .ok, .ok, .tooManyRequests, .tooManyRequests])
                let refused = try #require(last)
                #expect(refused.problem?.code == .rateLimited)
                #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
                #expect(refused.headers[HTTPField.Name("RateLimit-Limit")!] == "3")
                #expect(refused.headers[HTTPField.Name("RateLimit-Remaining")!] == "0")
                #expect(refused.headers[HTTPField.Name("RateLimit-Reset")!] != nil)

                // Without a valid token the client IP's bucket applies: 401 until it is spent, then 429.
                var anonymous: [HTTPResponse.Status] = []
                for _ in 0..<4 {
                    anonymous.append(
                        try await client.execute(uri: anonymousPath, method: .get, headers: [.authorization: "Bearer junk"]).status)
                }
                #expect(anonymous == [.unauthorized, .unauthorized, .tooManyRequests, .tooManyRequests])

                // A refused preflight is a 403, audited too.
                let preflight = try await client.execute(
                    uri: "/api/v1/documents", method: .options, headers: [.origin: refusedOrigin, .accessControlRequestMethod: "POST"])
                #expect(preflight.status == .forbidden)
            }
        }
        // The refusals reach gateway.security_logs (written in batches off the request path).
        var rows: [String] = []
        for _ in 0..<50 {
            rows = try await TestDatabase.withDatabase { database in
                try await database.withTransaction(.system) { connection in
                    let result = try await connection.query(
                        """
                        SELECT event FROM gateway.security_logs
                        WHERE user_id = \(user) OR path = \(anonymousPath) OR detail->>'detail' = \(refusedOrigin)
                        """,
                        logger: database.logger)
                    var events: [String] = []
                    for try await event in result.decode(String.self) { events.append(event) }
                    return events
                }
            }
            if rows.filter({ $0 == "rate_limited" }).count >= 4, rows.filter({ $0 == "auth_failed" }).count >= 2,
                rows.contains("cors_rejected")
            {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        // Two refused for the user, two for the anonymous client; two 401s; one 403.
        #expect(rows.filter { $0 == "rate_limited" }.count == 4, "\(rows)")
        #expect(rows.filter { $0 == "auth_failed" }.count == 2, "\(rows)")
        #expect(rows.filter { $0 == "cors_rejected" }.count == 1, "\(rows)")
    }
}

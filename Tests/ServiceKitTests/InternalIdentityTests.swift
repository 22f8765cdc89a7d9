import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ServiceKit

@Suite("Internal identity")
struct InternalIdentityTests {
    let gateway = InternalIdentity(secret: TestSettings.secret, service: .gateway)
    let rag = InternalIdentity(secret: TestSettings.secret, service: .rag)

    @Test func aMintedTokenVerifies() throws {
        let claims = try rag.verify(gateway.mint(for: "alice", audience: .rag))
        #expect(claims.sub == "alice")
        #expect(claims.iss == "gateway")
        #expect(claims.aud == "rag")
        #expect(claims.exp - claims.iat <= 60)
    }

    @Test func refusals() throws {
        let now = Date()
        let expired = gateway.mint(for: "alice", audience: .rag, lifetime: 30, now: now.addingTimeInterval(-120))
        #expect(throws: InternalIdentity.Failure.expired) { try rag.verify(expired) }
        let wrongAudience = gateway.mint(for: "alice", audience: .memory)
        #expect(throws: InternalIdentity.Failure.wrongAudience) { try rag.verify(wrongAudience) }
        let otherKey = InternalIdentity(secret: "another-secret-another-secret-000", service: .gateway).mint(for: "alice", audience: .rag)
        #expect(throws: InternalIdentity.Failure.badSignature) { try rag.verify(otherKey) }
        let future = gateway.mint(for: "alice", audience: .rag, now: now.addingTimeInterval(120))
        #expect(throws: InternalIdentity.Failure.notYetValid) { try rag.verify(future) }
        #expect(throws: InternalIdentity.Failure.malformed) { try rag.verify("not-a-token") }
        #expect(throws: InternalIdentity.Failure.missingSubject) { try rag.verify(gateway.mint(for: "", audience: .rag)) }
    }

    @Test func algNoneAndTamperedClaimsAreRefused() throws {
        let token = gateway.mint(for: "alice", audience: .rag)
        let parts = token.split(separator: ".").map(String.init)
        let none = Base64URL.encode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        #expect(throws: InternalIdentity.Failure.unsupportedAlgorithm) { try rag.verify("\(none).\(parts[1]).") }
        let bob = Base64URL.encode(Data(#"{"iss":"gateway","aud":"rag","sub":"bob","iat":\#(Int(Date().timeIntervalSince1970)),"exp":\#(Int(Date().timeIntervalSince1970) + 30)}"#.utf8))
        #expect(throws: InternalIdentity.Failure.badSignature) { try rag.verify("\(parts[0]).\(bob).\(parts[2])") }
    }

    @Test func aLifetimeOverSixtySecondsIsRefused() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let claims = InternalIdentityClaims(iss: "gateway", aud: "rag", sub: "alice", iat: now, exp: now + 3600)
        let token = try signed(claims)
        #expect(throws: InternalIdentity.Failure.lifetimeTooLong) { try rag.verify(token) }
    }

    func signed(_ claims: InternalIdentityClaims) throws -> String {
        // Re-sign arbitrary claims with the shared key, as a forger holding the key could.
        let header = Base64URL.encode(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = Base64URL.encode(try JSONEncoder().encode(claims))
        let input = header + "." + payload
        return input + "." + HMACSigner.sign(input, secret: TestSettings.secret)
    }

    @Test func middlewareAnswers401And403AsProblems() async throws {
        let core = ServiceCore(settings: try TestSettings.common(.rag), runtime: TestSettings.runtime())
        let router = core.makeRouter()
        router.get("/api/v1/whoami") { _, context in try context.userID() }
        router.post("/internal/retention") { _, context in context.identity?.sub ?? "" }
        let app = try core.makeApplication(router: router, migrations: nil)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/whoami", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.wwwAuthenticate] != nil)
                let problem = try ApexJSON.makeDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                #expect(problem.code == .unauthenticated)
                #expect(problem.traceID.count == 32)
            }
            let expired = gateway.mint(for: "alice", audience: .rag, now: Date().addingTimeInterval(-300))
            let cases: [(String, HTTPResponse.Status)] = [
                (gateway.mint(for: "alice", audience: .rag), .ok),
                (expired, .unauthorized),
                (gateway.mint(for: "alice", audience: .scheduler), .unauthorized),
                (InternalIdentity(secret: "wrong-wrong-wrong-wrong-wrong-wrong", service: .gateway).mint(for: "alice", audience: .rag), .unauthorized),
                (gateway.mint(for: "system", audience: .rag), .forbidden),
            ]
            for (token, status) in cases {
                try await client.execute(uri: "/api/v1/whoami", method: .get, headers: [.xApexIdentity: token]) { response in
                    #expect(response.status == status)
                    if status == .ok { #expect(String(buffer: response.body) == "alice") }
                }
            }
            try await client.execute(
                uri: "/internal/retention", method: .post, headers: [.xApexIdentity: gateway.mint(for: "alice", audience: .rag)]
            ) { response in #expect(response.status == .forbidden) }
            try await client.execute(
                uri: "/internal/retention", method: .post, headers: [.xApexIdentity: gateway.mint(for: "system", audience: .rag)]
            ) { response in #expect(response.status == .ok) }
            // Health endpoints need no identity.
            try await client.execute(uri: "/liveness", method: .get) { response in #expect(response.status == .ok) }
        }
    }
}

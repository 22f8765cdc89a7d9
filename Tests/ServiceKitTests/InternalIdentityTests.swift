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

    /// A verified token is remembered until its `exp`: the same token again is answered from the
    /// cache, but never once it has expired, and a token differing in one byte is verified anew.
    @Test func aVerifiedTokenIsRememberedOnlyUntilItExpires() throws {
        let backend = InternalIdentity(secret: TestSettings.secret, service: .rag)
        let now = Date()
        let token = gateway.mint(for: "alice", audience: .rag, lifetime: 30, now: now)
        #expect(try backend.verify(token, now: now).sub == "alice")
        #expect(backend.verified.count == 1)
        #expect(try backend.verify(token, now: now.addingTimeInterval(20)).sub == "alice")
        #expect(backend.verified.count == 1)
        // Past exp + leeway: refused although it verified before, and dropped from the cache.
        #expect(throws: InternalIdentity.Failure.expired) { try backend.verify(token, now: now.addingTimeInterval(40)) }
        #expect(backend.verified.count == 0)
        // A forged signature on claims that verified before is not a cache hit.
        let fresh = gateway.mint(for: "alice", audience: .rag, now: now)
        _ = try backend.verify(fresh, now: now)
        var bytes = Array(fresh.utf8)
        bytes[bytes.count - 2] = bytes[bytes.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let forged = String(decoding: bytes, as: UTF8.self)
        #expect(throws: InternalIdentity.Failure.badSignature) { try backend.verify(forged, now: now) }
        // Claims of another user under the remembered signature: not a hit either.
        let parts = fresh.split(separator: ".")
        let otherClaims = gateway.mint(for: "mallory", audience: .rag, now: now).split(separator: ".")[1]
        #expect(throws: InternalIdentity.Failure.badSignature) { try backend.verify("\(parts[0]).\(otherClaims).\(parts[2])", now: now) }
    }

    @Test func theVerifiedTokenCacheEmptiesWhenFull() {
        let cache = VerifiedTokenCache<Int>(capacity: 2)
        cache.store(1, for: "a", expires: 100)
        cache.store(2, for: "b", expires: 100)
        #expect(cache.value(for: "a", now: 50, leeway: 0) == 1)
        cache.store(3, for: "c", expires: 100)
        #expect(cache.count == 1)
        #expect(cache.value(for: "a", now: 50, leeway: 0) == nil)
        #expect(cache.value(for: "c", now: 50, leeway: 0) == 3)
        #expect(cache.value(for: "c", now: 100, leeway: 1) == 3)
        #expect(cache.value(for: "c", now: 101, leeway: 1) == nil)
    }

    /// Keyed by a token's tail for hashing, but only the whole token finds its entry.
    @Test func aTokenThatSharesAnotherOnesTailIsNotThatToken() {
        let tail = String(repeating: "s", count: 40)
        let genuine = "header.claims-of-alice." + tail
        let forged = "header.claims-of-mallory." + tail
        #expect(TokenKey(genuine).hashValue == TokenKey(forged).hashValue)
        #expect(TokenKey(genuine) != TokenKey(forged))
        #expect(TokenKey("short") == TokenKey("short") && TokenKey("short") != TokenKey("shorT"))
        let cache = VerifiedTokenCache<String>()
        cache.store("alice", for: genuine, expires: 100)
        #expect(cache.value(for: genuine, now: 50, leeway: 0) == "alice")
        #expect(cache.value(for: forged, now: 50, leeway: 0) == nil)
        #expect(cache.value(for: String(genuine.dropFirst()), now: 50, leeway: 0) == nil)
    }

    /// The three steps of docs/operations.md: accept the new secret, mint with it, drop the old.
    @Test func aRotationKeepsBothSidesUnderstandingEachOther() throws {
        let old = TestSettings.secret
        let new = "the-next-internal-secret-0123456789abcdef"
        // Step 1: the backend accepts `new` as well; the gateway still mints with `old`.
        let backend1 = InternalIdentity(secret: old, previousSecret: new, service: .rag)
        #expect(try backend1.verify(gateway.mint(for: "alice", audience: .rag)).sub == "alice")
        // Step 2: a gateway already swapped mints with `new`; a backend not yet swapped (step 1)
        // and one swapped (new, previous old) both accept it, and the old gateway's tokens too.
        let swappedGateway = InternalIdentity(secret: new, previousSecret: old, service: .gateway)
        let backend2 = InternalIdentity(secret: new, previousSecret: old, service: .rag)
        #expect(try backend1.verify(swappedGateway.mint(for: "alice", audience: .rag)).sub == "alice")
        #expect(try backend2.verify(swappedGateway.mint(for: "alice", audience: .rag)).sub == "alice")
        #expect(try backend2.verify(gateway.mint(for: "alice", audience: .rag)).sub == "alice")
        // Step 3: with the previous secret gone, the old one is refused.
        let backend3 = InternalIdentity(secret: new, service: .rag)
        #expect(throws: InternalIdentity.Failure.badSignature) { try backend3.verify(gateway.mint(for: "alice", audience: .rag)) }
        // The previous secret is never used to mint.
        let minted = backend2.mint(for: "system", audience: .memory)
        #expect(throws: InternalIdentity.Failure.badSignature) {
            try InternalIdentity(secret: old, service: .memory).verify(minted)
        }
    }

    @Test func thePreviousSecretComesFromTheEnvironmentAndIsCheckedInProduction() throws {
        let settings = try TestSettings.common(.rag, ["INTERNAL_AUTH_SECRET_PREVIOUS": "previous-secret-0123456789abcdef-xyz"])
        #expect(settings.previousInternalAuthSecret == "previous-secret-0123456789abcdef-xyz")
        #expect(try TestSettings.common(.rag).previousInternalAuthSecret == nil)
        let error = #expect(throws: ConfigurationError.self) {
            try TestSettings.common(.rag, ["K_SERVICE": "rag", "INTERNAL_AUTH_SECRET_PREVIOUS": "short"])
        }
        #expect(error?.variable == "INTERNAL_AUTH_SECRET_PREVIOUS")
    }

    @Test func algNoneAndTamperedClaimsAreRefused() throws {
        let token = gateway.mint(for: "alice", audience: .rag)
        let parts = token.split(separator: ".").map(String.init)
        let none = Base64URL.encode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        #expect(throws: InternalIdentity.Failure.unsupportedAlgorithm) { try rag.verify("\(none).\(parts[1]).") }
        let bob = Base64URL.encode(
            Data(
                #"{"iss":"gateway","aud":"rag","sub":"bob","iat":\#(Int(Date().timeIntervalSince1970)),"exp":\#(Int(Date().timeIntervalSince1970) + 30)}"#
                    .utf8))
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
                (
                    InternalIdentity(secret: "wrong-wrong-wrong-wrong-wrong-wrong", service: .gateway).mint(for: "alice", audience: .rag),
                    .unauthorized
                ),
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
            // The router skips empty path segments; the check goes by the route, so they skip nothing.
            for path in ["//internal/retention", "/internal//retention"] {
                try await client.execute(uri: path, method: .post) { response in #expect(response.status == .unauthorized, "\(path)") }
                try await client.execute(
                    uri: path, method: .post, headers: [.xApexIdentity: gateway.mint(for: "alice", audience: .rag)]
                ) { response in #expect(response.status == .forbidden, "\(path)") }
            }
            try await client.execute(
                uri: "//api/v1/whoami", method: .get, headers: [.xApexIdentity: gateway.mint(for: "system", audience: .rag)]
            ) { response in #expect(response.status == .forbidden) }
        }
    }
}

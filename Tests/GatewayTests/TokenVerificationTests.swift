import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Synchronization
import Testing

@testable import Gateway

/// A JWKS endpoint whose keys the test can rotate, counting how often it is fetched.
final class JWKSServer: Sendable {
    let document = Mutex<Data>(Data())
    let fetches = Atomic<Int>(0)

    func app() -> some ApplicationProtocol {
        let router = Router()
        router.get("/jwks") { _, _ -> Response in
            self.fetches.add(1, ordering: .relaxed)
            let data = self.document.withLock { $0 }
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return Application(router: router, server: .deferredHTTP1(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite("Firebase ID tokens at the gateway")
struct TokenVerificationTests {
    @Test func onlyTheValidTokenPasses() async throws {
        let signer = try FirebaseTokenFactory()
        let other = try FirebaseTokenFactory(kid: "key-1")  // same kid, different key
        let jwks = JWKSServer()
        jwks.document.withLock { $0 = try! FirebaseTokenFactory.jwks([signer]) }
        try await jwks.app().test(.live) { jwksClient in
            try await FakeBackend.make(.rag).test(.live) { rag in
                let settings = try GatewayTestApp.settings(
                    rag: rag.port!, memory: 1, scheduler: 1,
                    ["AUTH_JWKS_URL": "http://127.0.0.1:\(jwksClient.port!)/jwks", "RATE_LIMIT_ANON_BURST": "1000"])
                try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                    func status(_ token: String?) async throws -> (HTTPResponse.Status, TestResponse) {
                        var headers: HTTPFields = [:]
                        if let token { headers[.authorization] = "Bearer \(token)" }
                        let response = try await client.execute(uri: "/api/v1/documents", method: .get, headers: headers)
                        return (response.status, response)
                    }
                    let (ok, okResponse) = try await status(try signer.token())
                    #expect(ok == .ok)
                    let echo = try JSONDecoder().decode(FakeBackend.Echo.self, from: Data(buffer: okResponse.body))
                    #expect(echo.user == "alice")
                    #expect(echo.httpVersion == "2", "the gateway reaches backends over HTTP/2")

                    let now = Date()
                    // Each token is refused for its own reason (the problem's detail names it).
                    let refused: [(String, String?, TokenFailure)] = [
                        ("missing", nil, .missing),
                        ("malformed", "not.a.jwt", .malformed),
                        ("garbage", "abc", .malformed),
                        (
                            "alg none",
                            FirebaseTokenFactory.b64(Data(#"{"alg":"none","kid":"key-1"}"#.utf8)) + "."
                                + (try signer.token()).split(separator: ".")[1] + ".",
                            .unsupportedAlgorithm
                        ),
                        ("HS256 with the RSA public key", try signer.hs256Forgery(), .unsupportedAlgorithm),
                        ("wrong issuer", try signer.token(issuer: "https://securetoken.google.com/other"), .wrongIssuer),
                        ("wrong audience", try signer.token(audience: "other"), .wrongAudience),
                        (
                            "expired", try signer.token(issuedAt: now.addingTimeInterval(-7200), expires: now.addingTimeInterval(-120)),
                            .expired
                        ),
                        ("issued in the future", try signer.token(issuedAt: now.addingTimeInterval(300)), .issuedInFuture),
                        ("unknown kid", try signer.token(kid: "nobody"), .unknownKey),
                        ("signed by another key", try other.token(), .badSignature),
                        ("empty sub", try signer.token(sub: ""), .missingSubject),
                        ("the reserved sub", try signer.token(sub: "system"), .reservedSubject),
                    ]
                    for (name, token, reason) in refused {
                        let (code, response) = try await status(token)
                        #expect(code == .unauthorized, "\(name)")
                        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(name)")
                        #expect(response.problem?.code == .unauthenticated, "\(name)")
                        #expect(response.problem?.detail == reason.description, "\(name)")
                    }
                    // Within leeway: issued 30 s in the future, expired 30 s ago.
                    #expect(try await status(try signer.token(issuedAt: now.addingTimeInterval(30))).0 == .ok)
                    #expect(
                        try await status(try signer.token(issuedAt: now.addingTimeInterval(-3600), expires: now.addingTimeInterval(-30))).0
                            == .ok)
                }
            }
        }
    }

    @Test func keyRotationIsPickedUpByRefetchAtMostOncePerInterval() async throws {
        let first = try FirebaseTokenFactory(kid: "old")
        let second = try FirebaseTokenFactory(kid: "new")
        let jwks = JWKSServer()
        jwks.document.withLock { $0 = try! FirebaseTokenFactory.jwks([first]) }
        try await jwks.app().test(.live) { jwksClient in
            try await FakeBackend.make(.rag).test(.live) { rag in
                let settings = try GatewayTestApp.settings(
                    rag: rag.port!, memory: 1, scheduler: 1,
                    [
                        "AUTH_JWKS_URL": "http://127.0.0.1:\(jwksClient.port!)/jwks", "AUTH_JWKS_MIN_REFETCH_SECONDS": "1",
                        "RATE_LIMIT_ANON_BURST": "1000",
                    ])
                try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                    func call(_ token: String) async throws -> HTTPResponse.Status {
                        try await client.execute(uri: "/api/v1/documents", method: .get, headers: [.authorization: "Bearer \(token)"])
                            .status
                    }
                    #expect(try await call(try first.token()) == .ok)
                    #expect(jwks.fetches.load(ordering: .relaxed) == 1)
                    // Google rotates: the new kid is published.
                    jwks.document.withLock { $0 = try! FirebaseTokenFactory.jwks([first, second]) }
                    try await Task.sleep(for: .seconds(1.1))
                    #expect(try await call(try second.token()) == .ok)
                    #expect(jwks.fetches.load(ordering: .relaxed) == 2)
                    // A burst of forged kids inside the interval causes no more fetches.
                    for index in 0..<20 { #expect(try await call(try first.token(kid: "forged-\(index)")) == .unauthorized) }
                    #expect(jwks.fetches.load(ordering: .relaxed) <= 3)
                    // Cached keys still serve without fetching.
                    #expect(try await call(try first.token()) == .ok)
                }
            }
        }
    }

    @Test func keysFromAFileWorkOffline() async throws {
        let keys = try SignerKeyFile()
        defer { keys.remove() }
        let signer = keys.signer
        try await FakeBackend.make(.rag).test(.live) { rag in
            let settings = try GatewayTestApp.settings(rag: rag.port!, memory: 1, scheduler: 1, ["AUTH_JWKS_FILE": keys.path])
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                let me = try await client.execute(
                    uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(try signer.token())"])
                #expect(me.status == .ok)
                let body = try ApexJSON.makeDecoder().decode(MeResponse.self, from: Data(buffer: me.body))
                #expect(body.userID == "alice" && body.email == "alice@example.com" && body.auth == .firebase)
            }
        }
    }
}

import ApexProtocol
import ApexTestSupport
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
@preconcurrency import _CryptoExtras

@testable import Scheduler

/// `POST /internal/tick` with Cloud Scheduler's Google OIDC ID token (API.md), against keys
/// published in a JWKS file (`TICK_OIDC_JWKS_FILE`) as Google publishes its own.
@Suite("Cloud Scheduler's OIDC tick")
struct CloudSchedulerTickTests {
    static let audience = "https://apex-scheduler-123.europe-west1.run.app/internal/tick"
    static let account = "apex-tick@apex-project.iam.gserviceaccount.com"

    /// A Google-shaped ID token signed with `key`; `claims` override the valid defaults.
    static func token(_ key: FirebaseTokenFactory, _ claims: [String: Any] = [:], alg: String = "RS256") throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        var body: [String: Any] = [
            "iss": "https://accounts.google.com", "aud": audience, "sub": "1234567890", "email": account, "email_verified": true,
            "iat": now, "exp": now + 3600,
        ]
        body.merge(claims) { _, new in new }
        let header = ["alg": alg, "kid": key.kid, "typ": "JWT"]
        let input =
            FirebaseTokenFactory.b64(try JSONSerialization.data(withJSONObject: header)) + "."
            + FirebaseTokenFactory.b64(try JSONSerialization.data(withJSONObject: body))
        let signature = try key.key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + FirebaseTokenFactory.b64(signature.rawRepresentation)
    }

    static func withJWKS<T: Sendable>(_ keys: [FirebaseTokenFactory], _ body: (String) async throws -> T) async throws -> T {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("google-jwks-\(UUID().uuidString).json")
        try FirebaseTokenFactory.jwks(keys).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await body(file.path)
    }

    @Test func onlyCloudSchedulersOwnTokenTicks() async throws {
        let google = try FirebaseTokenFactory(kid: "google-1")
        let stranger = try FirebaseTokenFactory(kid: "google-1")
        let user = SchedulerTestApp.newUser()
        try await Self.withJWKS([google]) { jwks in
            let overrides = ["TICK_OIDC_AUDIENCE": Self.audience, "TICK_OIDC_SERVICE_ACCOUNT": Self.account, "TICK_OIDC_JWKS_FILE": jwks]
            try await SchedulerTestApp.run(overrides, users: [user]) { client in
                func tick(_ token: String) async throws -> TestResponse {
                    try await client.execute(uri: "/internal/tick", method: .post, headers: [.authorization: "Bearer \(token)"])
                }
                let accepted = try await tick(try Self.token(google))
                #expect(accepted.status == .ok)
                #expect((try? SchedulerAPI.decode(TickResponse.self, from: accepted)) != nil)

                let now = Int(Date().timeIntervalSince1970)
                let refusals: [(String, String)] = [
                    (try Self.token(stranger), "signature"),
                    (try Self.token(google, ["aud": "https://elsewhere.example/internal/tick"]), "audience"),
                    (try Self.token(google, ["email": "someone@apex-project.iam.gserviceaccount.com"]), "TICK_OIDC_SERVICE_ACCOUNT"),
                    (try Self.token(google, ["email_verified": false]), "TICK_OIDC_SERVICE_ACCOUNT"),
                    (try Self.token(google, ["iss": "https://securetoken.google.com/apex-project"]), "Google"),
                    (try Self.token(google, ["exp": now - 120, "iat": now - 3720]), "expired"),
                    (try Self.token(google, alg: "HS256"), "RS256"),
                    ("not.a-token", "malformed"),
                ]
                for (token, fault) in refusals {
                    let response = try await tick(token)
                    #expect(response.status == .unauthorized, "\(fault)")
                    let problem = try SchedulerAPI.problem(response)
                    #expect(problem.code == .unauthenticated)
                    #expect(problem.detail.contains(fault), "\(problem.detail) should name \(fault)")
                }
                // The Google token opens the tick only: not the user API, not other internal routes.
                let elsewhere = try await client.execute(
                    uri: "/internal/retention", method: .post, headers: [.authorization: "Bearer \(try Self.token(google))"])
                #expect(elsewhere.status == .unauthorized)
                // The internal identity still works as before.
                #expect(try await SchedulerAPI(client, user: user).send(.post, "/internal/tick", subject: "system").status == .ok)
            }
        }
    }

    @Test func withoutTheSettingsABearerTokenIsNotEnough() async throws {
        let google = try FirebaseTokenFactory(kid: "google-1")
        try await SchedulerTestApp.run(users: [SchedulerTestApp.newUser()]) { client in
            let response = try await client.execute(
                uri: "/internal/tick", method: .post, headers: [.authorization: "Bearer \(try Self.token(google))"])
            #expect(response.status == .unauthorized)
        }
    }

    @Test func theTwoSettingsComeTogether() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try SchedulerTestApp.settings(["TICK_OIDC_AUDIENCE": Self.audience])
        }
        #expect(error?.variable == "TICK_OIDC_SERVICE_ACCOUNT")
        let settings = try SchedulerTestApp.settings(["TICK_OIDC_AUDIENCE": Self.audience, "TICK_OIDC_SERVICE_ACCOUNT": Self.account])
        #expect(settings.tickOIDC == CloudSchedulerTokenPolicy(audience: Self.audience, serviceAccount: Self.account))
    }
}

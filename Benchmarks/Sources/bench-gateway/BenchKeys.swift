import ApexProtocol
import ApexTestSupport
import Foundation
import ServiceKit

/// Writes the key set the gateway reads with `AUTH_JWKS_FILE`, and mints the tokens the load
/// generators send.
enum BenchKeys {
    struct MissingSecret: Error, CustomStringConvertible {
        var description: String { "INTERNAL_AUTH_SECRET must be set" }
    }

    /// `DIR/jwks.json` plus one ID token on stdout, valid 24 h (Firebase's own last 1 h; the
    /// gateway checks `exp`, not the lifetime, and a long one keeps runs independent of the clock).
    static func write(to directory: String, project: String, user: String) throws {
        let factory = try FirebaseTokenFactory(projectID: project, kid: "bench-key-1")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FirebaseTokenFactory.jwks([factory]).write(to: URL(fileURLWithPath: directory).appendingPathComponent("jwks.json"))
        let token = try factory.token(sub: user, email: "\(user)@example.com", expires: Date().addingTimeInterval(86_400))
        print(token)
    }

    /// An `X-Apex-Identity` token as the gateway would mint it, for calling the backend directly
    /// (at most 60 s: mint it right before each run).
    static func printIdentity(user: String, audience: String) throws {
        guard let secret = ProcessInfo.processInfo.environment["INTERNAL_AUTH_SECRET"] else { throw MissingSecret() }
        let service = ServiceName(rawValue: audience) ?? .rag
        print(
            InternalIdentity(secret: secret, service: .gateway).mint(
                for: user, audience: service, lifetime: InternalIdentity.maximumLifetime))
    }
}

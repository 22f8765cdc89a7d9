public import ApexProtocol
import Foundation
public import Logging
public import ServiceKit

/// Settings for a service under test: an ephemeral port, the test database, a fixed secret.
public enum TestSettings {
    public static let secret = "test-internal-secret-0123456789abcdef"

    public static func environment(_ overrides: [String: String] = [:]) -> EnvironmentReader {
        var values = [
            "PORT": "0", "HOST": "127.0.0.1", "DATABASE_URL": TestDatabase.url,
            "INTERNAL_AUTH_SECRET": secret, "LOG_LEVEL": "warning", "DB_ACQUIRE_TIMEOUT_MS": "3000",
        ]
        values.merge(overrides) { _, new in new }
        return EnvironmentReader(values)
    }

    public static func common(_ service: ServiceName, _ overrides: [String: String] = [:]) throws -> ServiceSettings {
        try ServiceSettings(service: service, environment: environment(overrides))
    }

    public static func runtime(level: Logger.Level = .warning) -> ServiceRuntime {
        var logger = Logger(label: "test")
        logger.logLevel = level
        return ServiceRuntime(logger: logger)
    }

    /// A token as another service would mint it for `service`.
    public static func token(for service: ServiceName, subject: String = "user-a", from caller: ServiceName = .gateway) -> String {
        InternalIdentity(secret: secret, service: caller).mint(for: subject, audience: service)
    }

    /// The gateway's HTTP/2 client for a rag-shaped test server on 127.0.0.1:`port`.
    public static func serviceClient(port: Int, timeout: Duration) throws -> ServiceClient {
        try ServiceClient(
            target: .rag, baseURL: URL(string: "http://127.0.0.1:\(port)")!,
            identity: InternalIdentity(secret: secret, service: .gateway), timeout: timeout)
    }
}

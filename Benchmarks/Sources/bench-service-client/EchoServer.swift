import ApexProtocol
import Hummingbird
import Logging
import NIOCore
import ServiceKit

/// The server under test: a ServiceKit service exactly as production assembles one (tracing,
/// problem and identity middleware, health endpoints, the dual HTTP/1.1 + h2c port) with one
/// route, `POST /api/v1/echo`, that decodes the contract and encodes the reply. The route never
/// touches the database; the Postgres client is built (ServiceCore needs a URL) but opens no
/// connection unless `/readiness` is asked.
enum EchoServer {
    static let echoPath = "/api/v1/echo"

    static func makeApplication(
        port: Int, logLevel: Logger.Level, databaseURL: String,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void
    ) throws -> some ApplicationProtocol {
        let environment = EnvironmentReader([
            "PORT": String(port), "HOST": "127.0.0.1", "DATABASE_URL": databaseURL,
            "INTERNAL_AUTH_SECRET": BenchmarkIdentity.secret, "LOG_LEVEL": logLevel.rawValue,
        ])
        let settings = try ServiceSettings(service: BenchmarkIdentity.server, environment: environment)
        var logger = Logger(label: "bench-service-client")
        logger.logLevel = logLevel
        let core = ServiceCore(settings: settings, runtime: ServiceRuntime(logger: logger))
        let router = core.makeRouter()
        router.post(RouterPath(stringLiteral: echoPath)) { request, context -> EchoReply in
            let message = try await request.decode(as: EchoMessage.self, context: context)
            return EchoReply(
                message: message.message, sequence: message.sequence, tags: message.tags,
                user: try context.userID(), httpVersion: HTTPVersionHeader.version(of: request))
        }
        return try core.makeApplication(router: router, migrations: nil, onServerRunning: onServerRunning)
    }
}

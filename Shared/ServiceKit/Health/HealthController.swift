public import ApexProtocol
import Crypto
import Foundation
public import Hummingbird

/// `/liveness`, `/readiness` and `/metrics`, the same in every service.
///
/// Liveness never touches the database: a slow database must not get instances killed.
/// Metrics are public unless `METRICS_TOKEN` is set.
public struct HealthController: Sendable {
    let readiness: ReadinessProbe
    let metrics: ServiceMetrics
    let metricsToken: String?
    let database: Database?

    public init(readiness: ReadinessProbe, metrics: ServiceMetrics, metricsToken: String?, database: Database?) {
        self.readiness = readiness
        self.metrics = metrics
        self.metricsToken = metricsToken
        self.database = database
    }

    public var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.get("/liveness") { _, _ in HealthStatus.alive }
        routes.get("/readiness") { _, context -> EditedResponse<HealthStatus> in
            if let failure = await readiness.check() {
                context.logger.warning("not ready", metadata: ["error": .string(failure)])
                return EditedResponse(status: .serviceUnavailable, response: HealthStatus.notReady(failure))
            }
            return EditedResponse(status: .ok, response: HealthStatus.ready)
        }
        routes.get("/metrics") { request, _ -> Response in
            if let metricsToken, !Self.carries(metricsToken, in: request.headers[.authorization]) {
                throw APIError(.unauthenticated, "metrics need the bearer token", headers: [.wwwAuthenticate: "Bearer"])
            }
            if let database {
                metrics.gauge("db_connections_in_use", help: "Database connections lent out").set(Double(database.connectionsInUse))
                metrics.gauge("db_pool_max", help: "DB_POOL_MAX").set(Double(database.settings.poolMax))
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: .init(string: metrics.exposition()))
            )
        }
        return routes
    }

    /// Whether `authorization` is `Bearer <token>` (the scheme in any case, RFC 9110 §11.1). The
    /// tokens are compared as SHA-256 digests, whose equality swift-crypto checks in constant
    /// time: how long a refusal takes tells nothing of how much of the token a guess got right,
    /// nor of its length.
    static func carries(_ token: String, in authorization: String?) -> Bool {
        guard let authorization, let space = authorization.firstIndex(of: " "),
            authorization[..<space].lowercased() == "bearer"
        else { return false }
        let given = authorization[space...].trimmingCharacters(in: .whitespaces)
        return SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(token.utf8))
    }
}

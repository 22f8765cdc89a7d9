import ApexProtocol
import Foundation
public import Hummingbird
public import ServiceKit

/// Builds apex-gateway exactly as production and tests run it.
///
/// `forwardsOnEventLoop: false` sends every request through the router; tests compare the
/// answers of both ways (``ForwardingShortcut``).
public func buildApplication(
    settings: GatewaySettings, runtime: ServiceRuntime, forwardsOnEventLoop: Bool = true
) async throws -> some ApplicationProtocol {
    let upstreamsBox = try Upstreams(
        settings: settings,
        identity: InternalIdentity(
            secret: settings.common.internalAuthSecret, previousSecret: settings.common.previousInternalAuthSecret, service: .gateway),
        runtime: runtime)
    let core = ServiceCore(settings: settings.common, runtime: runtime, extraReadinessChecks: [{ await upstreamsBox.readiness() }])
    let audit = SecurityAuditLog(capacity: settings.auditBuffer, database: core.database, logger: core.logger, metrics: core.metrics)
    let verifier: FirebaseTokenVerifier? =
        settings.common.authDisabled
        ? nil
        : FirebaseTokenVerifier(
            projectID: settings.firebaseProjectID ?? "",
            keys: JWKSCache(
                source: settings.jwksFile.map { .file($0) } ?? .url(settings.jwksURL), logger: core.logger,
                minimumRefetchInterval: settings.jwksMinimumRefetch))

    // Routes: the backends' paths plus the gateway's own, so a wrong method answers 405.
    var catalog = RouteCatalog()
    for endpoint in APIEndpoints.all + APIEndpoints.operational {
        catalog.add(HTTPRequest.Method(endpoint.method.rawValue)!, endpoint.path)
    }
    catalog.add(.post, "/internal/retention")

    // The security headers go on every answer: outside the tracing (its 413) and the health endpoints.
    let router = core.makeRouter(
        routes: catalog, requireIdentity: false,
        outermost: { router in router.add(middleware: SecurityHeaders(strictTransportSecurity: settings.common.isProduction)) })
    router.add(middleware: CORSPolicy(allowedOrigins: Set(settings.corsOrigins), audit: audit))
    let userLimits = TokenBucketLimiter(ratePerSecond: settings.rateLimitPerSecond, burst: settings.rateLimitBurst)
    router.add(
        middleware: EdgeAccessMiddleware(
            verifier: verifier,
            userLimits: userLimits,
            anonymousLimits: TokenBucketLimiter(ratePerSecond: settings.anonymousRatePerSecond, burst: settings.anonymousBurst),
            audit: audit))
    router.addRoutes(OpenAPIController().endpoints)
    router.addRoutes(MeController().endpoints)
    router.addRoutes(ContextController(upstreams: upstreamsBox, deadline: settings.contextTimeout).endpoints)
    ProxyController(upstreams: upstreamsBox, maxBodyBytes: settings.common.maxBodyBytes).register(on: router)
    // The controller's routes carry their whole path (`/internal/retention`): the group adds only
    // the internal identity check, no prefix.
    router.group()
        .add(middleware: InternalIdentityMiddleware(identity: core.identity))
        .addRoutes(GatewayRetentionController(database: core.database, retentionDays: settings.securityLogRetentionDays).endpoints)

    let forwards = core.metrics.counter(
        "shortcut_forwards", help: "Requests forwarded from their connection's event loop, without the router")
    let shortcut = ForwardingShortcut(
        upstreams: upstreamsBox, verifier: verifier, userLimits: userLimits, strictTransportSecurity: settings.common.isProduction,
        countForward: { forwards.increment() })
    // Every request the router handles here checks its bearer token, then waits on a backend:
    // started inline, a connection's requests would queue behind each other's checks
    // (ServiceCore.makeApplication).
    return try core.makeApplication(
        router: router, migrations: try GatewaySchema.migrations(), startsRequestsInline: false,
        shortcut: forwardsOnEventLoop ? shortcut : nil, services: [audit, ShutdownHook { await upstreamsBox.shutdown() }])
}

import ApexProtocol
public import Foundation
public import Hummingbird
public import ServiceKit

/// Builds apex-scheduler exactly as production and tests run it.
public func buildApplication(settings: SchedulerSettings, runtime: ServiceRuntime) async throws -> some ApplicationProtocol {
    try await buildApplication(settings: settings, runtime: runtime, scope: .allUsers)
}

/// The same application with its ticks and workers confined to `scope` and reading `clock`
/// (tests and benchmarks share a database with other work), retrying with `backoff`.
public func buildApplication(
    settings: SchedulerSettings, runtime: ServiceRuntime, scope: WorkScope,
    backoff: RetryBackoff = .standard, clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> some ApplicationProtocol {
    let core = ServiceCore(settings: settings.common, runtime: runtime)
    let migrations = try SchedulerSchema.migrations()
    let components = try SchedulerComponents(
        settings: settings, core: core, migrationNames: migrations.migrations.map(\.name), scope: scope, backoff: backoff, clock: clock)
    let tickToken = settings.tickOIDC.map { policy in
        let source: JWKSCache.Source =
            switch policy.keys {
            case .url(let url): .url(url)
            case .file(let path): .file(path)
            }
        let verifier = CloudSchedulerTokenVerifier(policy: policy, keys: JWKSCache(source: source, logger: core.logger))
        return CloudSchedulerTickMiddleware(verifier: verifier, identity: core.identity)
    }
    let router = core.makeRouter(
        routes: SchedulerSchema.routes,
        beforeIdentity: { router in
            if let tickToken { router.add(middleware: tickToken) }
        })
    components.addRoutes(to: router)
    return try core.makeApplication(router: router, migrations: migrations, services: components.services)
}

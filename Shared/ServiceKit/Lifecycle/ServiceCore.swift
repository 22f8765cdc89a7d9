public import ApexProtocol
public import Hummingbird
public import Logging
public import NIOCore
import NIOSSL
public import ServiceLifecycle

/// What every service is built on, assembled the same way for all four: settings, the
/// database, internal identity, metrics, readiness; the standard middleware stack and health
/// endpoints; and the application (dual-protocol server, database client, migrations).
public struct ServiceCore: Sendable {
    public let settings: ServiceSettings
    public let runtime: ServiceRuntime
    public let logger: Logger
    public let database: Database
    public let identity: InternalIdentity
    public let metrics: ServiceMetrics
    public let readiness: ReadinessProbe

    public init(settings: ServiceSettings, runtime: ServiceRuntime, extraReadinessChecks: [ReadinessProbe.Check] = []) {
        self.settings = settings
        self.runtime = runtime
        var logger = runtime.logger
        logger.logLevel = settings.logLevel
        self.logger = logger
        self.database = Database(settings: settings.database, logger: logger)
        self.identity = InternalIdentity(
            secret: settings.internalAuthSecret, previousSecret: settings.previousInternalAuthSecret, service: settings.service)
        self.metrics = ServiceMetrics(service: settings.service.rawValue, registry: runtime.metricsRegistry)
        self.readiness = ReadinessProbe(database: database, extraChecks: extraReadinessChecks)
    }

    /// A router with tracing, problem details, internal identity and the health endpoints.
    /// `routes` lists the service's (method, path) pairs so a wrong method answers 405;
    /// `outermost` adds middleware around all of that, so it sees every answer, the tracing's own
    /// 413 and the health endpoints' included (the gateway's security headers); `beforeIdentity`
    /// adds middleware that runs ahead of the identity check (the scheduler's Cloud Scheduler tick).
    public func makeRouter(
        routes: RouteCatalog = RouteCatalog(), requireIdentity: Bool = true,
        beforeIdentity: (Router<ApexRequestContext>) -> Void = { _ in },
        outermost: (Router<ApexRequestContext>) -> Void = { _ in }
    ) -> Router<ApexRequestContext> {
        let router = Router(context: ApexRequestContext.self)
        outermost(router)
        router.add(middleware: RequestTracingMiddleware(metrics: metrics, maxBodyBytes: settings.maxBodyBytes, routes: routes))
        router.add(middleware: ProblemMiddleware(routes: routes))
        beforeIdentity(router)
        if requireIdentity {
            router.add(middleware: InternalIdentityMiddleware(identity: identity))
        }
        router.addRoutes(
            HealthController(readiness: readiness, metrics: metrics, metricsToken: settings.metricsToken, database: database).endpoints)
        return router
    }

    /// The application as production runs it: HTTP/1.1 + h2c (or TLS with ALPN) on `PORT`, the
    /// Postgres client as a service, and before the server binds: migrations (unless
    /// `MIGRATE_ON_START=false`), then `prepare` (e.g. the model-sized vector column), in that order.
    ///
    /// `startsRequestsInline`: a small HTTP/2 request runs on its connection's event loop until it
    /// first suspends, which saves two thread crossings per request when the answer needs no
    /// wait. Pass false where every request waits on another service after costly checks of its
    /// own (the gateway): there it only queues the requests of a connection behind one another.
    /// Benchmarks/Foundation/README.md, session 9, has both measurements.
    ///
    /// `shortcut`: offered every request without a body before the router, over HTTP/2 and
    /// HTTP/1.1 (``HTTPShortcut``).
    public func makeApplication(
        router: Router<ApexRequestContext>,
        migrations: MigrationRunner?,
        startsRequestsInline: Bool = true,
        shortcut: (any HTTPShortcut)? = nil,
        services: [any Service] = [],
        prepare: (@Sendable () async throws -> Void)? = nil,
        onServerRunning: (@Sendable (any Channel) async -> Void)? = nil
    ) throws -> some ApplicationProtocol {
        let serverName = "apex-\(settings.service.rawValue)"
        let http2Responder = ApexResponder(
            router.buildResponder(), logger: logger, serverName: serverName, startsInline: startsRequestsInline, shortcut: shortcut,
            metrics: metrics)
        var app = Application(
            router: router,
            server: .apexDualProtocol(
                http2Responder: http2Responder, maxBodyBytes: settings.maxBodyBytes, tlsConfiguration: try tlsConfiguration()),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: serverName),
            services: [database.client, ShutdownHook { [readiness] in await readiness.shutdown() }] + services,
            onServerRunning: onServerRunning ?? { _ in },
            eventLoopGroupProvider: .shared(runtime.eventLoopGroup),
            logger: logger
        )
        let database = self.database
        let logger = self.logger
        let migrateOnStart = settings.migrateOnStart
        if (migrateOnStart && migrations != nil) || prepare != nil {
            app.beforeServerStarts {
                if migrateOnStart, let migrations {
                    try await migrations.run(on: database, logger: logger)
                }
                try await prepare?()
            }
        }
        return app
    }

    func tlsConfiguration() throws -> TLSConfiguration? {
        guard let files = settings.tls else { return nil }
        let chain = try NIOSSLCertificate.fromPEMFile(files.certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: files.keyFile, format: .pem)
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
    }

    /// Applies migrations and returns, for `apex-<name> migrate` (the pre-deploy step).
    public func migrateAndExit(_ migrations: MigrationRunner) async throws -> MigrationRunner.Report {
        try await withThrowingTaskGroup(of: MigrationRunner.Report?.self) { group in
            group.addTask {
                await database.client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await migrations.run(on: database, logger: logger)
        }
    }
}

public import ApexProtocol
import Foundation
public import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// The whole of every `main.swift`: read settings (one clear line and exit 78 when they are
/// wrong), bootstrap logging and metrics once, then either serve or, for `apex-<name> migrate`,
/// apply migrations and exit.
public enum ServiceMain {
    public static func run<Settings: ServiceConfiguration, App: ApplicationProtocol>(
        _ service: ServiceName,
        settings makeSettings: (EnvironmentReader) throws(ConfigurationError) -> Settings,
        migrations: () throws -> MigrationRunner,
        build: (Settings, ServiceRuntime) async throws -> App
    ) async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let command = arguments.first ?? "serve"
        guard ["serve", "migrate"].contains(command), arguments.count <= 1 else {
            Self.fail("usage: apex-\(service.rawValue) [serve|migrate]", code: 64)
        }
        let environment = EnvironmentReader()
        let settings: Settings
        do {
            settings = try makeSettings(environment)
        } catch {
            Self.fail("apex-\(service.rawValue): \(error)", code: 78)
        }

        let level = settings.common.logLevel
        let project = environment.string("GOOGLE_CLOUD_PROJECT")
        LoggingSystem.bootstrap { label in
            CloudLoggingHandler(label: label, service: service.rawValue, level: level, project: project)
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "apex-\(service.rawValue)")
        logger.logLevel = level
        let runtime = ServiceRuntime(logger: logger, metricsRegistry: registry)
        if settings.common.internalAuthSecretGenerated {
            logger.warning(
                "INTERNAL_AUTH_SECRET is not set: generated one for this process (development only; other services cannot call it)")
        }
        if settings.common.authDisabled {
            logger.warning("AUTH_DISABLED=1: every request acts as user 'default' (development only)")
        }
        logger.info("starting", metadata: ["command": .string(command), "database": .string(settings.common.database.redactedDescription)])

        do {
            if command == "migrate" {
                let core = ServiceCore(settings: settings.common, runtime: runtime)
                let report = try await core.migrateAndExit(try migrations())
                logger.info(
                    "migrations done", metadata: ["applied": "\(report.applied)", "already_applied": "\(report.alreadyApplied.count)"])
                return
            }
            // First in the group, so it stops last and flushes the spans of the final requests.
            let traceExporter = try TraceExport.bootstrapIfConfigured(
                service: "apex-\(service.rawValue)", environment: environment.values, logger: logger)
            let app = try await build(settings, runtime)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = traceExporter.map { [.init(service: $0)] } ?? []
            services.append(.init(service: app))
            var configuration = ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            configuration.maximumGracefulShutdownDuration = settings.common.shutdownGracePeriod
            try await ServiceGroup(configuration: configuration).run()
            logger.info("stopped")
        } catch {
            logger.critical("apex-\(service.rawValue) failed: \(error)")
            exit(1)
        }
    }

    private static func fail(_ line: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data((line + "\n").utf8))
        exit(code)
    }
}

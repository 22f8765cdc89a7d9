public import Logging
import OTel
public import ServiceLifecycle
import Synchronization

/// Span export over OTLP/HTTP, on when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (ARCHITECTURE.md).
///
/// Only traces: logs stay Cloud-Logging JSON on stdout and metrics stay Prometheus. The
/// standard `OTEL_*` variables (service name, headers, batch delay, sampler…) apply as the
/// OpenTelemetry specification defines them. Bootstrapped once, from `ServiceMain`; tests never
/// do, so every request then only carries the W3C `traceparent` as before.
public enum TraceExport {
    private static let bootstrapped = Atomic<Bool>(false)

    /// Whether spans are being exported (read by ``RequestTracingMiddleware``).
    public static var isEnabled: Bool { bootstrapped.load(ordering: .relaxed) }

    /// Bootstraps the tracer and returns the exporter's background service, or `nil` when
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` is not set.
    public static func bootstrapIfConfigured(service: String, environment: [String: String], logger: Logger) throws -> (any Service)? {
        guard let endpoint = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !endpoint.isEmpty else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = service
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.diagnosticLogger = .custom(logger)
        let exporter = try OTel.bootstrap(configuration: configuration, environment: environment)
        bootstrapped.store(true, ordering: .relaxed)
        logger.info("exporting traces over OTLP/HTTP", metadata: ["endpoint": .string(endpoint)])
        return exporter
    }
}

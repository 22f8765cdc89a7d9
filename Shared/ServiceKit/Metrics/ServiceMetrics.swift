@preconcurrency public import Prometheus

/// The service's Prometheus metrics: one registry per application instance.
///
/// `main` bootstraps swift-metrics with a factory over the same registry, so library metrics land
/// in it too; tests pass a fresh registry per application and read it directly.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let service: String

    /// Seconds; from a cached `GET` (well under a millisecond) to a slow search.
    static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    public init(service: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.service = service
    }

    public func recordRequest(route: String, method: String, status: Int, httpVersion: String, duration: Duration) {
        let labels = [
            ("service", service), ("route", route), ("method", method), ("status", String(status)), ("http_version", httpVersion),
        ]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(
            descriptor: Self.requestDuration,
            labels: [("service", service), ("route", route), ("method", method), ("http_version", httpVersion)],
            buckets: Self.latencyBuckets
        ).recordNanoseconds(Int64(duration / .nanoseconds(1)))
    }

    /// A gauge of this service, for pool and queue sizes sampled at scrape time.
    public func gauge(_ name: String, help: String, labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "apex", metricName: name, unitName: "", helpText: help),
            labels: [("service", service)] + labels)
    }

    /// A counter of this service, for outcomes (jobs, tasks, refusals).
    public func counter(_ name: String, help: String, labels: [(String, String)] = []) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "apex", metricName: name, unitName: "total", helpText: help),
            labels: [("service", service)] + labels)
    }

    public func exposition() -> String { registry.emitToString() }

    nonisolated(unsafe) static let requests = MetricNameDescriptor(
        namespace: "apex", metricName: "http_requests", unitName: "total",
        helpText: "HTTP requests by route, method, status and HTTP version")
    nonisolated(unsafe) static let requestDuration = MetricNameDescriptor(
        namespace: "apex", metricName: "http_request_duration", unitName: "seconds", helpText: "Time to the response head by route")
}

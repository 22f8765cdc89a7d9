@preconcurrency public import Prometheus
import Synchronization

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

    /// The request metrics already made, by their labels. The registry's own lookup builds the
    /// label strings, validates names and takes its lock on every call: about 4 % of a small
    /// request's CPU (Benchmarks/Foundation/README.md). Routes are templates, so this stays small.
    private let requestMetrics = Mutex<[RequestLabels: RequestMetrics]>([:])

    public init(service: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.service = service
    }

    public func recordRequest(route: String, method: String, status: Int, httpVersion: String, duration: Duration) {
        let key = RequestLabels(route: route, method: Self.methodLabel(method), status: status, httpVersion: httpVersion)
        let metrics = requestMetrics.withLock { $0[key] } ?? makeRequestMetrics(key)
        metrics.count.increment()
        metrics.duration.recordNanoseconds(Int64(duration / .nanoseconds(1)))
    }

    private func makeRequestMetrics(_ key: RequestLabels) -> RequestMetrics {
        let made = RequestMetrics(
            count: registry.makeCounter(
                descriptor: Self.requests,
                labels: [
                    ("service", service), ("route", key.route), ("method", key.method), ("status", String(key.status)),
                    ("http_version", key.httpVersion),
                ]),
            duration: registry.makeDurationHistogram(
                descriptor: Self.requestDuration,
                labels: [("service", service), ("route", key.route), ("method", key.method), ("http_version", key.httpVersion)],
                buckets: Self.latencyBuckets))
        requestMetrics.withLock { $0[key] = made }
        return made
    }

    /// The method as a label: any other token a client sends is `OTHER`, so made-up methods
    /// cannot grow the series (and the cache above) without bound. Routes are already bounded
    /// (`unmatched` for any path no route has), and so are statuses and versions.
    static func methodLabel(_ method: String) -> String {
        knownMethods.contains(method) ? method : "OTHER"
    }

    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"]

    private struct RequestLabels: Hashable {
        let route: String
        let method: String
        let status: Int
        let httpVersion: String
    }

    private struct RequestMetrics {
        let count: Counter
        let duration: DurationHistogram
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

public import Logging
public import NIOCore
public import NIOPosix
public import Prometheus

/// What `main` creates once per process and hands to `buildApplication`: the logger and the
/// metrics registry (bootstrapped globally only in `main`, never in `buildApplication`, because
/// tests build applications many times).
public struct ServiceRuntime: Sendable {
    public var logger: Logger
    public var metricsRegistry: PrometheusCollectorRegistry
    public var eventLoopGroup: any EventLoopGroup

    public init(
        logger: Logger, metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.logger = logger
        self.metricsRegistry = metricsRegistry
        self.eventLoopGroup = eventLoopGroup
    }
}

/// A service's typed settings: the common ``ServiceSettings`` plus its own, read from the
/// environment once at start.
public protocol ServiceConfiguration: Sendable {
    var common: ServiceSettings { get }
    init(environment: EnvironmentReader) throws(ConfigurationError)
}

public import ServiceKit

/// The settings of apex-memory: the common ones (see README's configuration table) and its own.
public struct MemorySettings: ServiceConfiguration {
    public var common: ServiceSettings

    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        self.common = try ServiceSettings(service: .memory, environment: environment, defaultPort: 8080)
    }

    public init(common: ServiceSettings) {
        self.common = common
    }
}

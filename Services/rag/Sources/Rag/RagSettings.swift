public import ServiceKit

/// The settings of apex-rag: the common ones (see README's configuration table) and its own.
public struct RagSettings: ServiceConfiguration {
    public var common: ServiceSettings

    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        self.common = try ServiceSettings(service: .rag, environment: environment, defaultPort: 8080)
    }

    public init(common: ServiceSettings) {
        self.common = common
    }
}

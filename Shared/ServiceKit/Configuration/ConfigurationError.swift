/// A configuration value that is missing or malformed.
///
/// Its description is the one line a service prints before it exits, always naming the variable,
/// so an operator reading Cloud Run's logs knows what to fix without reading code.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The environment variable at fault.
    public let variable: String
    /// What is wrong with it.
    public let problem: String

    public init(_ variable: String, _ problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "configuration error: \(variable) \(problem)" }
}

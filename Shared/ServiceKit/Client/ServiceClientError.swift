public import ApexProtocol

/// Why a call to another service failed.
public enum ServiceClientError: Error, CustomStringConvertible, Sendable {
    /// No answer before the call's deadline.
    case timeout
    /// The connection could not be made or broke before an answer came.
    case connectionFailed(String)
    /// The service answered with a non-2xx status (and its problem, when it sent one).
    case status(Int, ProblemDetails?)
    /// The answer could not be decoded as the contract's type.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .timeout: "upstream timed out"
        case .connectionFailed(let reason): "upstream connection failed: \(reason)"
        case .status(let code, let problem): "upstream answered \(code)\(problem.map { ": \($0.detail)" } ?? "")"
        case .invalidResponse(let reason): "upstream response invalid: \(reason)"
        }
    }
}

public import ApexProtocol
public import HTTPTypes

/// An error a handler throws to answer with a specific problem (RFC 9457).
///
/// Everything else thrown is answered as a generic 500 without details: only an `APIError`
/// chooses what the client reads.
public struct APIError: Error, CustomStringConvertible, Sendable {
    public var code: ProblemCode
    public var detail: String
    public var errors: [FieldError]
    /// Extra response headers (`Allow`, `Retry-After`, `WWW-Authenticate`…).
    public var headers: HTTPFields

    public init(_ code: ProblemCode, _ detail: String, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public var description: String { "\(code.rawValue): \(detail)" }

    public static func notFound(_ what: String) -> APIError { APIError(.notFound, "\(what) not found") }

    public static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.invalidRequest, "\(field) \(message)", errors: [FieldError(field: field, message: message)])
    }

    public static func invalid(_ errors: [FieldError]) -> APIError {
        let summary = errors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
        return APIError(.invalidRequest, summary, errors: errors)
    }
}

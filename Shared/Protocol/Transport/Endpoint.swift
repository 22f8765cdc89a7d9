import Foundation

/// One operation of the API: a method on a path template, the service that owns it, and what it
/// does.
///
/// Templates write parameters in braces (`/api/v1/documents/{id}/chunks`); a parameter matches
/// exactly one non-empty path segment. The gateway routes with these, the OpenAPI document is
/// generated from them, and tests check that every service serves its own.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPMethodName
    public let path: String
    public let service: ServiceName
    public let summary: String

    public init(_ method: HTTPMethodName, _ path: String, service: ServiceName, summary: String) {
        self.method = method
        self.path = path
        self.service = service
        self.summary = summary
    }

    /// The parameter names in the template, in order: `["id"]` for `/api/v1/chats/{id}/messages`.
    public var parameterNames: [String] {
        PathTemplate(path).segments.compactMap {
            if case .parameter(let name) = $0 { return name }
            return nil
        }
    }

    /// The concrete path with each `{name}` replaced by its percent-encoded value; a parameter
    /// without a value is left as it is.
    public func path(substituting parameters: [String: String]) -> String {
        let segments = PathTemplate(path).segments.map { segment -> String in
            switch segment {
            case .literal(let text):
                return text
            case .parameter(let name):
                guard let value = parameters[name] else { return "{\(name)}" }
                return value.addingPercentEncoding(withAllowedCharacters: Self.segmentAllowed) ?? value
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// The parameters when `concretePath` fits this endpoint's template, else nil.
    public func parameters(matching concretePath: String) -> [String: String]? {
        PathTemplate(path).match(PathTemplate.segments(of: concretePath))
    }

    /// `GET /api/v1/documents/{id}`.
    public var description: String {
        "\(method.rawValue) \(path)"
    }

    /// RFC 3986 `pchar` minus nothing risky: unreserved, sub-delims, `:` and `@`.
    private static let segmentAllowed = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@"
    )
}

/// One invalid field of a request: `{"field": "action.url", "message": "must not contain user info"}`.
///
/// `field` names nested fields with dots (`action.url`) and array elements with brackets
/// (`document_ids[2]`); `body` stands for the request body as a whole. It is an `Error` so a
/// single-field check (a query parameter) can fail with it directly.
public struct FieldError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case field
        case message
    }

    /// The same error seen from an enclosing object: `url` under `action` becomes `action.url`.
    public func nested(under parent: String) -> FieldError {
        let path = field.isEmpty ? parent : field.hasPrefix("[") ? parent + field : parent + "." + field
        return FieldError(field: path, message: message)
    }

    /// `field message`, as used in a problem's `detail`.
    public var description: String {
        "\(field) \(message)"
    }
}

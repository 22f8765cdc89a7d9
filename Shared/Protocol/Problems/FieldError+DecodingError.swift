/// Turns a body that failed to decode into the field error the contract promises, so a missing
/// `query` or a string `limit` is answered like any other validation error (400, field named)
/// rather than with a decoder's internal description.
extension FieldError {
    /// The field and a client-facing message for `error`. Messages never name Swift types.
    public init(decodingError error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            var path = context.codingPath
            if path.last?.stringValue != key.stringValue || path.last?.intValue != key.intValue {
                path.append(key)
            }
            self.init(field: Self.fieldPath(path), message: "is required")
        case .valueNotFound(_, let context):
            self.init(field: Self.fieldPath(context.codingPath), message: "must not be null")
        case .typeMismatch(let type, let context):
            if context.debugDescription.hasPrefix("must ") {
                self.init(field: Self.fieldPath(context.codingPath), message: context.debugDescription)
            } else {
                self.init(field: Self.fieldPath(context.codingPath), message: "must be \(Self.jsonKind(of: type))")
            }
        case .dataCorrupted(let context):
            if Self.isContractMessage(context.debugDescription) {
                self.init(field: Self.fieldPath(context.codingPath), message: context.debugDescription)
            } else if context.codingPath.isEmpty {
                self.init(field: "body", message: "must be valid JSON")
            } else {
                self.init(field: Self.fieldPath(context.codingPath), message: "has an invalid value")
            }
        @unknown default:
            self.init(field: "body", message: "is invalid")
        }
    }

    /// `action.url`, `document_ids[2]`, or `body` for the root.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var result = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return result.isEmpty ? "body" : result
    }

    /// Messages written by contract types (`ContractEnum`, `JobAction`, `ApexJSON` dates) are
    /// already client-facing; Foundation's are not.
    private static func isContractMessage(_ message: String) -> Bool {
        message.hasPrefix("must ") || message.hasPrefix("is ")
    }

    /// "a string", "an object", … for the Swift type a decoder expected.
    private static func jsonKind(of type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String", "Character": return "a string"
        case "Bool": return "a boolean"
        case "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64": return "an integer"
        case "Double", "Float", "Decimal": return "a number"
        default:
            if name.hasPrefix("Dictionary") || name.hasPrefix("[String") && name.contains(":") { return "an object" }
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "an array" }
            if name == "Date" { return "an RFC 3339 timestamp string" }
            return "a valid value"
        }
    }
}

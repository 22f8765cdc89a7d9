/// A closed set of string values on the wire (statuses, roles, modes, codes).
///
/// Conforming enums decode with an error message that lists the allowed values
/// ("must be one of: running, completed, failed, cancelled") instead of Swift's default, which
/// names the Swift type; that message reaches API clients through `FieldError`.
public protocol ContractEnum: RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable {}

extension ContractEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let rawValue = try container.decode(String.self)
        guard let value = Self(rawValue: rawValue) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.allowedValuesMessage)
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// "must be one of: a, b, c", for decoding errors and query-parameter validation alike.
    public static var allowedValuesMessage: String {
        "must be one of: " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}

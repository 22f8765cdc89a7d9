public import Foundation

/// A per-user key/value entry (`/api/v1/state/{key}`). The value may be any JSON, `null`
/// included, and is written back exactly.
public struct StateEntry: Sendable, Equatable, Codable {
    public var key: String
    public var value: JSONValue
    public var updatedAt: Date

    public init(key: String, value: JSONValue, updatedAt: Date) {
        self.key = key
        self.value = value
        self.updatedAt = updatedAt
    }

    /// The violations of a `{key}` path parameter (`TokenPattern.stateKey`), named `key`.
    public static func validateKey(_ key: String) -> [FieldError] {
        var rules = FieldRules()
        rules.pattern(key, "key", .stateKey)
        return rules.errors
    }

    enum CodingKeys: String, CodingKey {
        case key
        case value
        case updatedAt = "updated_at"
    }

    /// `value` is required but may be `null`; see `PutStateRequest`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        value = try container.decodeRequiredJSONValue(forKey: .value)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
    }
}

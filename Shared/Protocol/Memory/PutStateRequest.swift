/// `PUT /api/v1/state/{key}`: `{"value": any JSON}`.
///
/// `{"value": null}` stores JSON `null` (`.null`); `{}` is an error ("value is required"), so a
/// client that forgot the field does not silently store `null`.
public struct PutStateRequest: Sendable, Equatable, Codable {
    public var value: JSONValue

    public init(value: JSONValue) {
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decodeRequiredJSONValue(forKey: .value)
    }
}

extension PutStateRequest: ContractValidatable {
    /// Any JSON is a valid value; the key is a path parameter (`StateEntry.validateKey`).
    public func validate() -> [FieldError] {
        []
    }
}

/// Parsers for the list filters (`?status=`, `?unread_only=`, …): an unknown value is a 400
/// naming the parameter, never silently ignored.
extension ListQuery {
    /// An optional enum filter: absent or empty → nil; an unknown value fails with the allowed values.
    public static func parseFilter<Value: ContractEnum>(
        _ raw: String?,
        as type: Value.Type,
        field: String
    ) -> Result<Value?, FieldError> {
        guard let raw, !raw.isEmpty else { return .success(nil) }
        guard let value = Value(rawValue: raw) else {
            return .failure(FieldError(field: field, message: Value.allowedValuesMessage))
        }
        return .success(value)
    }

    /// An optional boolean filter: absent or empty → nil; only `true` and `false` are accepted.
    public static func parseBoolFilter(_ raw: String?, field: String) -> Result<Bool?, FieldError> {
        switch raw {
        case nil, "": .success(nil)
        case "true": .success(true)
        case "false": .success(false)
        default: .failure(FieldError(field: field, message: "must be true or false"))
        }
    }
}

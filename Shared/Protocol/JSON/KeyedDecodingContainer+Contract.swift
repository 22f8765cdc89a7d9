/// Decoding helpers for the contract's three kinds of optional field.
extension KeyedDecodingContainer {
    /// Reads a field that may be absent, `null`, or a value, keeping the three apart (PATCH).
    public func decodeNullable<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> Nullable<T> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(type, forKey: key))
    }

    /// Reads a field that may be left out but, when given, must not be `null` (PATCH fields
    /// such as `status` or `metadata` that have no "empty" state). An explicit `null` is a
    /// `valueNotFound` error, reported to the client as "must not be null".
    public func decodeNonNullIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(codingPath: codingPath + [key], debugDescription: "must not be null")
            )
        }
        return try decode(type, forKey: key)
    }

    /// Reads an optional integer, reporting `2.5` or `1e300` as a type mismatch on this field.
    ///
    /// Foundation's `JSONDecoder` reports a non-integral number for an `Int` as "not valid JSON"
    /// at the root, which would hide the field name the contract promises in validation errors.
    /// `5.0` is accepted as 5 (JSON does not distinguish them).
    public func decodeIntegerIfPresent(forKey key: Key) throws -> Int? {
        let notAnInteger = DecodingError.typeMismatch(
            Int.self,
            DecodingError.Context(codingPath: codingPath + [key], debugDescription: "must be an integer")
        )
        let number: Double?
        do {
            number = try decodeIfPresent(Double.self, forKey: key)
        } catch DecodingError.typeMismatch {
            throw notAnInteger
        }
        guard let number else { return nil }
        guard number.rounded(.towardZero) == number, abs(number) <= 9_007_199_254_740_992 else {
            throw notAnInteger
        }
        return Int(number)
    }

    /// Reads a field that must be present but may be any JSON, `null` included: absent is a
    /// `keyNotFound` error, `null` is `.null`. (`decodeIfPresent` would merge the two.)
    public func decodeRequiredJSONValue(forKey key: Key) throws -> JSONValue {
        guard contains(key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(codingPath: codingPath, debugDescription: "is required")
            )
        }
        if try decodeNil(forKey: key) { return .null }
        return try decode(JSONValue.self, forKey: key)
    }

    /// Reads an optional JSON field, mapping both absent and `null` to `.null` (job and task output).
    public func decodeJSONValueIfPresent(forKey key: Key) throws -> JSONValue {
        try decodeIfPresent(JSONValue.self, forKey: key) ?? .null
    }
}

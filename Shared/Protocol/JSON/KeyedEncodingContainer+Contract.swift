/// Encoding helpers that make the contract's nulls explicit.
extension KeyedEncodingContainer {
    /// Writes `value`, or an explicit `null` when it is nil. Responses use this for every
    /// optional field: API.md shows `"next_cursor": null`, `"completed_at": null`, and clients
    /// may rely on the key being there.
    public mutating func encodeNullable<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value {
            try encode(value, forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }

    /// Writes a PATCH field: nothing for `.absent`, `null` for `.null`, the value otherwise.
    public mutating func encodeNullable<T: Encodable>(_ value: Nullable<T>, forKey key: Key) throws {
        switch value {
        case .absent: break
        case .null: try encodeNil(forKey: key)
        case .value(let wrapped): try encode(wrapped, forKey: key)
        }
    }
}

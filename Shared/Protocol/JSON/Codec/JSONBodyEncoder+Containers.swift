import Foundation

extension JSONBodyEncoder {
    /// Writes the members of one JSON object.
    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: JSONBodyEncoder
        let object: EncodedObject

        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil(forKey key: Key) throws { object.set(key.stringValue, .null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { object.set(key.stringValue, .bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { object.set(key.stringValue, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            object.set(key.stringValue, try encoder.box(double: value, at: key))
        }
        mutating func encode(_ value: Float, forKey key: Key) throws {
            object.set(key.stringValue, try encoder.box(float: value, at: key))
        }
        mutating func encode(_ value: Int, forKey key: Key) throws { object.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { object.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { object.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { object.set(key.stringValue, .int(Int64(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { object.set(key.stringValue, .int(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { object.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { object.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { object.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { object.set(key.stringValue, .uint(UInt64(value))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { object.set(key.stringValue, .uint(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            object.set(key.stringValue, try encoder.box(value, at: key))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            let nested = EncodedObject()
            object.set(key.stringValue, .object(nested))
            return KeyedEncodingContainer(
                KeyedContainer<NestedKey>(encoder: JSONBodyEncoder(parent: encoder, key: key), object: nested))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = EncodedArray()
            object.set(key.stringValue, .array(nested))
            return UnkeyedContainer(encoder: JSONBodyEncoder(parent: encoder, key: key), array: nested)
        }

        mutating func superEncoder() -> any Encoder {
            superEncoder(named: JSONCodingKey(string: "super"))
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            superEncoder(named: key)
        }

        private func superEncoder(named key: any CodingKey) -> any Encoder {
            let child = JSONBodyEncoder(parent: encoder, key: key)
            object.set(key.stringValue, .deferred(child))
            return child
        }
    }

    /// Writes the elements of one JSON array.
    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let encoder: JSONBodyEncoder
        let array: EncodedArray

        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int { array.elements.count }
        private var nextKey: JSONCodingKey { JSONCodingKey(index: array.elements.count) }

        mutating func encodeNil() throws { array.elements.append(.null) }
        mutating func encode(_ value: Bool) throws { array.elements.append(.bool(value)) }
        mutating func encode(_ value: String) throws { array.elements.append(.string(value)) }
        mutating func encode(_ value: Double) throws { array.elements.append(try encoder.box(double: value, at: nextKey)) }
        mutating func encode(_ value: Float) throws { array.elements.append(try encoder.box(float: value, at: nextKey)) }
        mutating func encode(_ value: Int) throws { array.elements.append(.int(Int64(value))) }
        mutating func encode(_ value: Int8) throws { array.elements.append(.int(Int64(value))) }
        mutating func encode(_ value: Int16) throws { array.elements.append(.int(Int64(value))) }
        mutating func encode(_ value: Int32) throws { array.elements.append(.int(Int64(value))) }
        mutating func encode(_ value: Int64) throws { array.elements.append(.int(value)) }
        mutating func encode(_ value: UInt) throws { array.elements.append(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt8) throws { array.elements.append(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt16) throws { array.elements.append(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt32) throws { array.elements.append(.uint(UInt64(value))) }
        mutating func encode(_ value: UInt64) throws { array.elements.append(.uint(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            array.elements.append(try encoder.box(value, at: nextKey))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = EncodedObject()
            let key = nextKey
            array.elements.append(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: JSONBodyEncoder(parent: encoder, key: key), object: nested))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = EncodedArray()
            let key = nextKey
            array.elements.append(.array(nested))
            return UnkeyedContainer(encoder: JSONBodyEncoder(parent: encoder, key: key), array: nested)
        }

        mutating func superEncoder() -> any Encoder {
            let child = JSONBodyEncoder(parent: encoder, key: nextKey)
            array.elements.append(.deferred(child))
            return child
        }
    }

    /// Writes the one value of an encoder.
    struct SingleValueContainer: SingleValueEncodingContainer {
        let encoder: JSONBodyEncoder

        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.value = .null }
        mutating func encode(_ value: Bool) throws { encoder.value = .bool(value) }
        mutating func encode(_ value: String) throws { encoder.value = .string(value) }
        mutating func encode(_ value: Double) throws { encoder.value = try encoder.box(double: value, at: nil) }
        mutating func encode(_ value: Float) throws { encoder.value = try encoder.box(float: value, at: nil) }
        mutating func encode(_ value: Int) throws { encoder.value = .int(Int64(value)) }
        mutating func encode(_ value: Int8) throws { encoder.value = .int(Int64(value)) }
        mutating func encode(_ value: Int16) throws { encoder.value = .int(Int64(value)) }
        mutating func encode(_ value: Int32) throws { encoder.value = .int(Int64(value)) }
        mutating func encode(_ value: Int64) throws { encoder.value = .int(value) }
        mutating func encode(_ value: UInt) throws { encoder.value = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { encoder.value = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { encoder.value = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { encoder.value = .uint(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { encoder.value = .uint(value) }
        /// Encodes in place: the value becomes this encoder's own, with no extra level of path.
        mutating func encode<T: Encodable>(_ value: T) throws {
            encoder.value = try encoder.box(value, at: nil)
        }
    }
}

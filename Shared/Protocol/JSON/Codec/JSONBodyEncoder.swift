import Foundation

/// ApexFlow's JSON encoder: the `Encoder` behind ``ApexJSON/encode(_:)``.
///
/// It writes the same JSON as the Foundation `JSONEncoder` that ``ApexJSON/makeEncoder()``
/// configures (RFC 3339 dates with milliseconds, unescaped slashes, `Data` as base64, `URL` as
/// its absolute string), for about half the cost: Foundation's took 3.6–4.9 µs to encode a
/// 100-byte contract, about 8 % of a small request's CPU on each side of a call
/// (Benchmarks/Foundation/README.md). The coding path is kept as a chain of parents and built
/// only when an error needs it, and ``JSONValue`` (user metadata, preferences, state) is
/// converted directly instead of through `Codable`.
final class JSONBodyEncoder: Encoder, CodingPathNode {
    let parent: JSONBodyEncoder?
    let key: (any CodingKey)?
    /// What was encoded so far; nil until a container is made or a single value written.
    var value: EncodedJSON?

    init(parent: JSONBodyEncoder? = nil, key: (any CodingKey)? = nil) {
        self.parent = parent
        self.key = key
    }

    /// Encodes `value` and returns its JSON bytes.
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let root = JSONBodyEncoder()
        let encoded = try root.box(value)
        var writer = JSONByteWriter()
        writer.write(encoded)
        return writer.bytes
    }

    /// The encoded value; an encoder that encoded nothing stands for `{}`, as in Foundation.
    var encodedValue: EncodedJSON {
        value ?? .object(EncodedObject())
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: EncodedObject
        if case .object(let existing)? = value {
            object = existing
        } else {
            object = EncodedObject()
            value = .object(object)
        }
        return KeyedEncodingContainer(KeyedContainer(encoder: self, object: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: EncodedArray
        if case .array(let existing)? = value {
            array = existing
        } else {
            array = EncodedArray()
            value = .array(array)
        }
        return UnkeyedContainer(encoder: self, array: array)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }

    /// `value` as an ``EncodedJSON``, at `key` below this encoder. The types Foundation's encoder
    /// treats specially are treated the same way here; everything else encodes itself.
    func box<T: Encodable>(_ value: T, at key: (any CodingKey)? = nil) throws -> EncodedJSON {
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return .int(Int64(unsafeBitCast(value, to: Int.self))) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Double.self { return try box(double: unsafeBitCast(value, to: Double.self), at: key) }
        if T.self == JSONValue.self { return try box(json: unsafeBitCast(value, to: JSONValue.self), at: key) }
        if T.self == Date.self { return .string(RFC3339.format(unsafeBitCast(value, to: Date.self))) }
        if T.self == URL.self { return .string(unsafeBitCast(value, to: URL.self).absoluteString) }
        if T.self == Data.self { return .string(unsafeBitCast(value, to: Data.self).base64EncodedString()) }
        if T.self == Decimal.self { return .number(unsafeBitCast(value, to: Decimal.self).description) }
        let child = JSONBodyEncoder(parent: self, key: key)
        try value.encode(to: child)
        return child.encodedValue
    }

    func box(double: Double, at key: (any CodingKey)?) throws -> EncodedJSON {
        guard double.isFinite else { throw nonFinite(double, at: key) }
        return .double(double)
    }

    func box(float: Float, at key: (any CodingKey)?) throws -> EncodedJSON {
        guard float.isFinite else { throw nonFinite(float, at: key) }
        return .float(float)
    }

    /// A ``JSONValue`` tree converted directly, without a `Codable` round per member.
    func box(json: JSONValue, at key: (any CodingKey)?) throws -> EncodedJSON {
        switch json {
        case .null: return .null
        case .bool(let bool): return .bool(bool)
        case .number(let number): return try box(double: number, at: key)
        case .string(let string): return .string(string)
        case .array(let elements):
            let array = EncodedArray()
            array.elements.reserveCapacity(elements.count)
            for element in elements { array.elements.append(try box(json: element, at: key)) }
            return .array(array)
        case .object(let members):
            let object = EncodedObject()
            for (name, member) in members { object.set(name, try box(json: member, at: key)) }
            return .object(object)
        }
    }

    private func nonFinite(_ value: Any, at key: (any CodingKey)?) -> EncodingError {
        EncodingError.invalidValue(
            value,
            EncodingError.Context(
                codingPath: codingPath + (key.map { [$0] } ?? []),
                debugDescription: "Unable to encode \(type(of: value)).\(value) directly in JSON."))
    }
}

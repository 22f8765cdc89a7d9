extension JSONBodyDecoder {
    /// Reads the members of one JSON object.
    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: JSONBodyDecoder
        let object: ParsedObject

        var codingPath: [any CodingKey] { decoder.codingPath }

        /// Keys in document order; a repeated key is listed once.
        var allKeys: [Key] {
            var seen = Set<String>()
            return object.keys.compactMap { name in seen.insert(name).inserted ? Key(stringValue: name) : nil }
        }

        func contains(_ key: Key) -> Bool {
            object.value(for: key.stringValue) != nil
        }

        private func value(for key: Key) throws -> ParsedJSON {
            guard let value = object.value(for: key.stringValue) else {
                throw DecodingError.keyNotFound(
                    key,
                    DecodingError.Context(
                        codingPath: decoder.codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
            }
            return value
        }

        /// The value at `key` unless it is missing or null.
        private func presentValue(for key: Key) -> ParsedJSON? {
            switch object.value(for: key.stringValue) {
            case nil, .null?: nil
            case let value?: value
            }
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            if case .null = try value(for: key) { return true }
            return false
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.unboxBool(try value(for: key), at: key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.unboxString(try value(for: key), at: key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.unboxDouble(try value(for: key), at: key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.unboxFloat(try value(for: key), at: key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try decoder.unbox(try value(for: key), as: T.self, at: key)
        }

        private func integer<T: FixedWidthInteger>(_ key: Key) throws -> T {
            try decoder.unboxInteger(try value(for: key), as: T.self, at: key)
        }

        // One lookup per optional member, instead of the protocol's default three.
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            try presentValue(for: key).map { try decoder.unboxString($0, at: key) }
        }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            try presentValue(for: key).map { try decoder.unboxBool($0, at: key) }
        }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
            try presentValue(for: key).map { try decoder.unboxInteger($0, as: Int.self, at: key) }
        }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
            try presentValue(for: key).map { try decoder.unboxDouble($0, at: key) }
        }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            try presentValue(for: key).map { try decoder.unbox($0, as: T.self, at: key) }
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            try JSONBodyDecoder(value: try value(for: key), parent: decoder, key: key).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try JSONBodyDecoder(value: try value(for: key), parent: decoder, key: key).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            JSONBodyDecoder(value: object.value(for: "super") ?? .null, parent: decoder, key: JSONCodingKey(string: "super"))
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            JSONBodyDecoder(value: object.value(for: key.stringValue) ?? .null, parent: decoder, key: key)
        }
    }

    /// Reads the elements of one JSON array, in order.
    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let decoder: JSONBodyDecoder
        let elements: [ParsedJSON]
        private(set) var currentIndex = 0

        init(decoder: JSONBodyDecoder, elements: [ParsedJSON]) {
            self.decoder = decoder
            self.elements = elements
        }

        var codingPath: [any CodingKey] { decoder.codingPath }
        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        private var currentKey: JSONCodingKey { JSONCodingKey(index: currentIndex) }

        private func current(_ type: Any.Type) throws -> ParsedJSON {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    type, DecodingError.Context(codingPath: decoder.path(to: currentKey), debugDescription: "Unkeyed container is at end."))
            }
            return elements[currentIndex]
        }

        /// Reads the current element with `read` and moves past it only when that succeeded.
        private mutating func next<T>(_ type: T.Type, _ read: (JSONBodyDecoder, ParsedJSON, JSONCodingKey) throws -> T) throws -> T {
            let value = try read(decoder, try current(T.self), currentKey)
            currentIndex += 1
            return value
        }

        mutating func decodeNil() throws -> Bool {
            if case .null = try current(Never?.self) {
                currentIndex += 1
                return true
            }
            return false
        }

        mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try $0.unboxBool($1, at: $2) } }
        mutating func decode(_ type: String.Type) throws -> String { try next(type) { try $0.unboxString($1, at: $2) } }
        mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { try $0.unboxDouble($1, at: $2) } }
        mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { try $0.unboxFloat($1, at: $2) } }
        mutating func decode(_ type: Int.Type) throws -> Int { try integer() }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try integer() }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try next(type) { try $0.unbox($1, as: T.self, at: $2) }
        }

        private mutating func integer<T: FixedWidthInteger>() throws -> T {
            try next(T.self) { try $0.unboxInteger($1, as: T.self, at: $2) }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try next(KeyedDecodingContainer<NestedKey>.self) { decoder, value, key in
                try JSONBodyDecoder(value: value, parent: decoder, key: key).container(keyedBy: type)
            }
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try next((any UnkeyedDecodingContainer).self) { decoder, value, key in
                try JSONBodyDecoder(value: value, parent: decoder, key: key).unkeyedContainer()
            }
        }

        mutating func superDecoder() throws -> any Decoder {
            try next((any Decoder).self) { decoder, value, key in JSONBodyDecoder(value: value, parent: decoder, key: key) }
        }
    }

    /// Reads the one value of a decoder.
    struct SingleValueContainer: SingleValueDecodingContainer {
        let decoder: JSONBodyDecoder

        var codingPath: [any CodingKey] { decoder.codingPath }

        func decodeNil() -> Bool {
            if case .null = decoder.value { return true }
            return false
        }

        func decode(_ type: Bool.Type) throws -> Bool { try decoder.unboxBool(decoder.value, at: nil) }
        func decode(_ type: String.Type) throws -> String { try decoder.unboxString(decoder.value, at: nil) }
        func decode(_ type: Double.Type) throws -> Double { try decoder.unboxDouble(decoder.value, at: nil) }
        func decode(_ type: Float.Type) throws -> Float { try decoder.unboxFloat(decoder.value, at: nil) }
        func decode(_ type: Int.Type) throws -> Int { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode(_ type: Int8.Type) throws -> Int8 { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode(_ type: Int16.Type) throws -> Int16 { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode(_ type: Int32.Type) throws -> Int32 { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode(_ type: Int64.Type) throws -> Int64 { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode(_ type: UInt.Type) throws -> UInt { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.unboxInteger(decoder.value, as: type, at: nil) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.unbox(decoder.value, as: T.self, at: nil) }
    }
}

import Foundation
import Testing

@testable import ApexProtocol

/// ApexFlow's own JSON coders against Foundation's, which they replace: the same bytes for the
/// same values, the same values for the same bytes, and the same errors at the same paths.
@Suite struct JSONBodyCodecTests {
    private struct Sample: Codable, Equatable {
        var name: String
        var count: Int
        var ratio: Double
        var flag: Bool
        var when: Date
        var tags: [String]
        var nested: Nested?
        var metadata: [String: JSONValue]
        var link: URL
        var blob: Data
        var small: Int8
        var big: UInt64
        var single: Float

        struct Nested: Codable, Equatable {
            var values: [Int?]
            var inner: [String: [Double]]
        }
    }

    private static let sample = Sample(
        name: "é\u{1}\n\"\\/<\u{7f}\u{2028} 😀", count: -42, ratio: 0.30000000000000004, flag: true,
        when: Date(timeIntervalSince1970: 1_763_719_200.123), tags: ["a", "", "b c"],
        nested: .init(values: [1, nil, 3], inner: ["x": [1, 2.5, -0.0], "y": []]),
        metadata: ["k": ["a": [1, "two", nil, true]], "n": 1e21, "s": "v"],
        link: URL(string: "https://example.com/a/b?c=d")!, blob: Data([0, 1, 2, 250]), small: -128, big: .max, single: 0.1)

    /// `data` with sorted keys, so outputs that differ only in member order compare equal.
    private func canonical(_ data: Data) throws -> String {
        let object = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        let sorted = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: sorted, as: UTF8.self)
    }

    private func text(_ value: some Encodable) throws -> String {
        String(decoding: try ApexJSON.encode(value), as: UTF8.self)
    }

    @Test func encodesWhatFoundationEncodes() throws {
        let ours = try ApexJSON.encode(Self.sample)
        let foundation = try ApexJSON.makeEncoder().encode(Self.sample)
        #expect(try canonical(ours) == canonical(foundation))
    }

    @Test func decodesWhatFoundationWrites() throws {
        let foundation = try ApexJSON.makeEncoder().encode(Self.sample)
        #expect(try ApexJSON.decode(Sample.self, from: foundation) == Self.sample)
        #expect(try ApexJSON.makeDecoder().decode(Sample.self, from: ApexJSON.encode(Self.sample)) == Self.sample)
    }

    @Test func spellsNumbersAsFoundationDoes() throws {
        #expect(
            try text([1.0, 0.5, 1e-7, 1e21, -0.0, 0.1 + 0.2, 123_456_789_012_345_678.0])
                == "[1,0.5,1e-07,1e+21,-0,0.30000000000000004,1.2345678901234568e+17]")
        #expect(try text([Float(0.1), Float(1)]) == "[0.1,1]")
        #expect(try text([Int64.min, 0, 7, Int64.max]) == "[-9223372036854775808,0,7,9223372036854775807]")
        #expect(try text([UInt64.max]) == "[18446744073709551615]")
        #expect(try text(Decimal(string: "1.50")!) == "1.5")
    }

    @Test func escapesOnlyWhatJSONRequires() throws {
        #expect(try text("é\u{1}\n\"\\/<\u{7f}") == "\"é\\u0001\\n\\\"\\\\/<\u{7f}\"")
        #expect(try text("\u{1f}\u{8}\u{c}\u{b}\r\t") == "\"\\u001f\\b\\f\\u000b\\r\\t\"")
        #expect(try text(["a/b": "c"]) == "{\"a/b\":\"c\"}")
    }

    @Test func refusesNonFiniteNumbersNamingTheField() throws {
        struct Holder: Encodable { var values: [Double] }
        #expect {
            try ApexJSON.encode(Holder(values: [1, .infinity]))
        } throws: { error in
            guard case EncodingError.invalidValue(_, let context) = error else { return false }
            return context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["values", "1"]
        }
    }

    @Test func encodesOptionalsEmptyValuesAndRepeatedKeysAsFoundationDoes() throws {
        struct Empty: Encodable { func encode(to encoder: any Encoder) throws {} }
        struct Twice: Encodable {
            enum Key: String, CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(1, forKey: .a)
                try container.encode(2, forKey: .b)
                try container.encode(3, forKey: .a)
                try container.encodeIfPresent(Int?.none, forKey: .b)
            }
        }
        #expect(try text([Empty()]) == "[{}]")
        #expect(try text([1, nil, 3] as [Int?]) == "[1,null,3]")
        #expect(try text(["k": Int?.none]) == "{\"k\":null}")
        #expect(try text(Twice()) == "{\"a\":3,\"b\":2}")
    }

    @Test func readsNumbersAsFoundationDoes() throws {
        struct Whole: Decodable { var i: Int }
        struct Real: Decodable { var f: Double }
        #expect(try ApexJSON.decode(Whole.self, from: Data(#"{"i":1.0}"#.utf8)).i == 1)
        #expect(try ApexJSON.decode(Whole.self, from: Data(#"{"i":1e2}"#.utf8)).i == 100)
        #expect(try ApexJSON.decode(Whole.self, from: Data(#"{"i":-0}"#.utf8)).i == 0)
        #expect(try ApexJSON.decode(Real.self, from: Data(#"{"f":-1.5e-3}"#.utf8)).f == -0.0015)
        #expect(try ApexJSON.decode(Real.self, from: Data(#"{"f":1}"#.utf8)).f == 1)
        for refused in [#"{"i":1.5}"#, #"{"i":99999999999999999999}"#] {
            #expect(throws: DecodingError.self) { try ApexJSON.decode(Whole.self, from: Data(refused.utf8)) }
        }
        #expect(throws: DecodingError.self) { try ApexJSON.decode(Real.self, from: Data(#"{"f":1E400}"#.utf8)) }
    }

    @Test(arguments: [
        "", " ", "01", ".5", "1.", "-", "1e", "+1", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\" 1}", "[1 2]", "tru", "nul",
        "{\"a\":1} x", "\"\\ud83d\"", "\"\\ude00\"", "\"a\u{1}\"", "\"\\x\"", "\"\\u12\"", "\"abc", "[", "{",
    ])
    func refusesTextThatIsNotJSON(_ body: String) throws {
        #expect {
            try ApexJSON.decode(JSONValue.self, from: Data(body.utf8))
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.codingPath.isEmpty
        }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() throws {
        #expect(throws: DecodingError.self) { try ApexJSON.decode(String.self, from: Data([0x22, 0xFF, 0x22])) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: DecodingError.self) { try ApexJSON.decode(JSONValue.self, from: Data(deep.utf8)) }
        let allowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try ApexJSON.decode(JSONValue.self, from: Data(allowed.utf8)) }
        let hostile = String(repeating: "[", count: 200_000)
        #expect(throws: DecodingError.self) { try ApexJSON.decode(JSONValue.self, from: Data(hostile.utf8)) }
    }

    @Test func readsEscapes() throws {
        let body = #"["\ud83d\ude00","\u00e9","\/","\"\\\b\f\n\r\t"," \u0000 "]"#
        #expect(try ApexJSON.decode([String].self, from: Data(body.utf8)) == ["😀", "é", "/", "\"\\\u{8}\u{c}\n\r\t", " \u{0} "])
    }

    @Test func firstOfARepeatedKeyWinsAsInFoundation() throws {
        struct Whole: Decodable { var i: Int }
        #expect(try ApexJSON.decode(Whole.self, from: Data(#"{"i":1,"i":2}"#.utf8)).i == 1)
        #expect(try ApexJSON.decode(JSONValue.self, from: Data(#"{"i":1,"i":2}"#.utf8)) == ["i": 1])
    }

    @Test func findsMembersOfLargeObjects() throws {
        var members: [String: Int] = [:]
        for index in 0..<200 { members["key\(index)"] = index }
        let data = try ApexJSON.encode(members)
        #expect(try ApexJSON.decode([String: Int].self, from: data) == members)
        #expect(try ApexJSON.decode([String: JSONValue].self, from: data)["key199"] == 199)
    }

    /// The `DecodingError`s (kind and path) that the API turns into field errors.
    @Test func throwsFoundationsErrorsAtFoundationsPaths() throws {
        struct Inner: Codable { var x: Int }
        struct Outer: Codable {
            var s: String
            var n: Inner?
            var a: [Int]?
        }
        func failure(_ body: String) -> String {
            func path(_ keys: [any CodingKey]) -> String {
                keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            }
            let error: (any Error)?
            do {
                _ = try ApexJSON.decode(Outer.self, from: Data(body.utf8))
                error = nil
            } catch let thrown {
                error = thrown
            }
            switch error {
            case nil: return "decoded"
            case DecodingError.valueNotFound(let type, let context)?: return "valueNotFound \(type) at \(path(context.codingPath))"
            case DecodingError.typeMismatch(let type, let context)?: return "typeMismatch \(type) at \(path(context.codingPath))"
            case DecodingError.keyNotFound(let key, let context)?: return "keyNotFound \(key.stringValue) at \(path(context.codingPath))"
            case DecodingError.dataCorrupted(let context)?: return "dataCorrupted at \(path(context.codingPath))"
            case let other?: return "other \(other)"
            }
        }
        #expect(failure(#"{"s":null}"#) == "valueNotFound String at s")
        #expect(failure(#"{"s":1}"#) == "typeMismatch String at s")
        #expect(failure(#"{}"#) == "keyNotFound s at ")
        #expect(failure(#"{"s":"a","n":5}"#) == "typeMismatch Dictionary<String, Any> at n")
        #expect(failure(#"{"s":"a","n":null}"#) == "decoded")
        #expect(failure(#"{"s":"a","n":{}}"#) == "keyNotFound x at n")
        #expect(failure(#"{"s":"a","a":{}}"#) == "typeMismatch Array<Any> at a")
        #expect(failure(#"{"s":"a","a":[1,null]}"#) == "valueNotFound Int at a.1")
        #expect(failure(#"{"s":"a","a":[1,"x"]}"#) == "typeMismatch Int at a.1")
        #expect(failure("[]") == "typeMismatch Dictionary<String, Any> at ")
        #expect(failure("null") == "valueNotFound Dictionary<String, Any> at ")
        #expect(failure(#"{"s":"a","n":{"x":1.5}}"#) == "dataCorrupted at n.x")
    }

    @Test func datesAreRFC3339AndBadOnesNameTheField() throws {
        struct Stamp: Codable { var at: Date }
        let stamp = Stamp(at: Date(timeIntervalSince1970: 1_763_719_200.123))
        #expect(try text(stamp) == #"{"at":"2025-11-21T10:00:00.123Z"}"#)
        #expect(try ApexJSON.decode(Stamp.self, from: Data(#"{"at":"2025-11-21T12:00:00.123+02:00"}"#.utf8)).at == stamp.at)
        #expect {
            try ApexJSON.decode(Stamp.self, from: Data(#"{"at":"yesterday"}"#.utf8))
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["at"]
        }
        #expect {
            try ApexJSON.decode(Stamp.self, from: Data(#"{"at":5}"#.utf8))
        } throws: { error in
            guard case DecodingError.typeMismatch(let type, _) = error else { return false }
            return type == String.self
        }
    }

    /// Random JSON trees: what one side writes, the other reads back unchanged.
    @Test func randomTreesRoundTripThroughBothCoders() throws {
        var seed: UInt64 = 0x5EED
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 33
        }
        func tree(depth: Int) -> JSONValue {
            switch next() % (depth > 3 ? 5 : 7) {
            case 0: return .null
            case 1: return .bool(next() % 2 == 0)
            case 2: return .number(Double(bitPattern: next() << 31 | next()).isFinite ? Double(Int64(next()) - 1 << 31) / 7 : 0)
            case 3: return .number(Double(Int(next() % 2_000_000) - 1_000_000))
            case 4:
                let alphabet = Array("ab \"\\/\n\u{1}é😀\u{2028}")
                return .string(String((0..<Int(next() % 8)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }))
            case 5: return .array((0..<Int(next() % 5)).map { _ in tree(depth: depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for index in 0..<Int(next() % 20) { members["m\(index)\(next() % 3 == 0 ? "/é" : "")"] = tree(depth: depth + 1) }
                return .object(members)
            }
        }
        let foundationEncoder = ApexJSON.makeEncoder()
        let foundationDecoder = ApexJSON.makeDecoder()
        for _ in 0..<300 {
            let value = tree(depth: 0)
            #expect(try ApexJSON.decode(JSONValue.self, from: foundationEncoder.encode(value)) == value)
            #expect(try foundationDecoder.decode(JSONValue.self, from: ApexJSON.encode(value)) == value)
            #expect(try canonical(ApexJSON.encode(value)) == canonical(foundationEncoder.encode(value)))
        }
    }
}

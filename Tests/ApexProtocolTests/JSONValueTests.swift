import Foundation
import Testing

@testable import ApexProtocol

@Suite struct JSONValueTests {
    @Test func decodesEveryKindWithoutConfusingBooleansAndNumbers() throws {
        let value = try Wire.decode(
            JSONValue.self, #"{"a": null, "b": true, "c": 1, "d": 0, "e": 2.5, "f": "x/y", "g": [false, {"h": []}]}"#)
        let expected: JSONValue = ["a": nil, "b": true, "c": 1, "d": 0, "e": 2.5, "f": "x/y", "g": [false, ["h": []]]]
        #expect(value == expected)
        #expect(value["b"] == .bool(true))
        #expect(value["c"] == .number(1))
        #expect(value["d"] == .number(0))
    }

    @Test func encodesIntegralNumbersWithoutFraction() throws {
        let value: JSONValue = [1, 2.5, -3, 0]
        #expect(try Wire.text(value) == "[1,2.5,-3,0]")
    }

    @Test func topLevelNullRoundTrips() throws {
        #expect(try Wire.text(JSONValue.null) == "null")
        #expect(try Wire.decode(JSONValue.self, "null") == .null)
    }

    @Test func accessorsReadTypedValues() {
        let value: JSONValue = ["n": 3, "f": 2.5, "s": "x", "b": false, "a": [1, 2], "o": ["k": "v"], "z": nil]
        #expect(value["n"]?.intValue == 3)
        #expect(value["f"]?.intValue == nil)
        #expect(value["f"]?.doubleValue == 2.5)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == false)
        #expect(value["a"]?[1] == 2)
        #expect(value["a"]?[2] == nil)
        #expect(value["o"]?["k"] == "v")
        #expect(value["z"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(JSONValue.number(1e300).intValue == nil)
    }

    /// The test cases of RFC 7396 appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func mergePatchFollowsRFC7396(target: String, patch: String, result: String) throws {
        let merged = try Wire.decode(JSONValue.self, target).merging(patch: Wire.decode(JSONValue.self, patch))
        #expect(merged == (try Wire.decode(JSONValue.self, result)))
    }
}

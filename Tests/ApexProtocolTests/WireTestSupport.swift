import Foundation
import Testing

@testable import ApexProtocol

/// Encodes and decodes through `ApexJSON`, and reads encoded output back as `JSONValue` so
/// tests compare wire shapes key by key, independent of key order.
enum Wire {
    static func json(_ value: some Encodable) throws -> JSONValue {
        try ApexJSON.decode(JSONValue.self, from: ApexJSON.encode(value))
    }

    static func text(_ value: some Encodable) throws -> String {
        String(decoding: try ApexJSON.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try ApexJSON.decode(type, from: Data(json.utf8))
    }

    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try ApexJSON.decode(T.self, from: ApexJSON.encode(value))
    }

    /// The field error a client would get for `json`, or nil when it decodes.
    static func decodingFieldError<T: Decodable>(_ type: T.Type, _ json: String) -> FieldError? {
        do {
            _ = try decode(type, json)
            return nil
        } catch let error as DecodingError {
            return FieldError(decodingError: error)
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// The keys of an encoded object, to check that optional fields are written as `null`.
    static func keys(_ value: some Encodable) throws -> Set<String> {
        Set(try json(value).objectValue?.keys ?? [:].keys)
    }
}

/// `2026-11-21T10:00:00.123Z`, the timestamp API.md uses as its example.
let exampleDate = ApexJSON.parseDate("2026-11-21T10:00:00.123Z")!
/// One second later, for fields that must differ.
let laterDate = exampleDate.addingTimeInterval(1)

/// A string of `count` copies of `character`.
func repeated(_ character: Character, _ count: Int) -> String {
    String(repeating: character, count: count)
}

import ApexProtocol
import Foundation

/// JSON crossing the database boundary as text: bound as `$n::jsonb`, read back as `col::text`.
///
/// Text keeps the SQL explicit about types and lets `jsonb` normalise the value; the contract's
/// own coder (`ApexJSON`) reads and writes it, so what a client sent is what it reads back.
enum JSONText {
    static func encode(_ value: JSONValue) throws -> String {
        String(decoding: try ApexJSON.encode(value), as: UTF8.self)
    }

    static func encode(_ object: JSONObject) throws -> String {
        try encode(.object(object))
    }

    static func value(_ text: String) throws -> JSONValue {
        try ApexJSON.decode(JSONValue.self, from: Data(text.utf8))
    }

    /// An object column (`metadata`, `graph_data`, …); the schema's CHECKs keep them objects.
    static func object(_ text: String) throws -> JSONObject {
        // Most metadata is empty: skip the decoder (JSONValue's decoding tries each JSON kind in
        // turn, which costs microseconds per value).
        if text == "{}" { return [:] }
        guard case .object(let object) = try value(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "expected a JSON object column"))
        }
        return object
    }
}

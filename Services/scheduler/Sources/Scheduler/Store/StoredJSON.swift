import ApexProtocol
import Foundation

/// JSON columns cross the wire as text (`col::text` out, `$n::jsonb` in) so the contract's own
/// coders — not postgres-nio's — decide their shape.
enum StoredJSON {
    struct Corrupt: Error, CustomStringConvertible {
        let column: String
        var description: String { "stored JSON in \(column) does not decode" }
    }

    static func text(_ value: some Encodable) throws -> String {
        String(decoding: try ApexJSON.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, column: String) throws -> T {
        do {
            return try ApexJSON.decode(T.self, from: Data(text.utf8))
        } catch {
            throw Corrupt(column: column)
        }
    }

    /// `NULL` reads as JSON `null`.
    static func value(_ text: String?, column: String) throws -> JSONValue {
        guard let text else { return .null }
        return try decode(JSONValue.self, text, column: column)
    }
}

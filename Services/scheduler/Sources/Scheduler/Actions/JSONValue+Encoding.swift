import ApexProtocol
import Foundation

extension JSONValue {
    /// A contract value as JSON (for action results: a response type becomes the run's output).
    static func encoding(_ value: some Encodable) -> JSONValue {
        guard let data = try? ApexJSON.encode(value), let json = try? ApexJSON.decode(JSONValue.self, from: data) else { return .null }
        return json
    }

    /// A response body as JSON when it is JSON, else as text (invalid UTF-8 replaced).
    static func body(_ bytes: [UInt8]) -> JSONValue {
        guard !bytes.isEmpty else { return .null }
        if let json = try? ApexJSON.decode(JSONValue.self, from: Data(bytes)) { return json }
        return .string(String(decoding: bytes, as: UTF8.self))
    }
}

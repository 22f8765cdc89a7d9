public import Foundation

/// The one JSON configuration every ApexFlow party uses, so bytes written by one service are
/// read the same way by another.
///
/// Keys are never rewritten by a key strategy: every contract type spells its `snake_case`
/// keys in explicit `CodingKeys`, and a strategy would also rewrite user-owned keys inside
/// `metadata`, preferences and state values. Dates are RFC 3339 in UTC with milliseconds.
public enum ApexJSON {
    /// `Content-Type` of JSON bodies.
    public static let mediaType = "application/json"

    /// A Foundation encoder writing RFC 3339 UTC dates with milliseconds, unsorted keys and unescaped
    /// slashes (`"https://example.com/x"` stays readable).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }

    /// A Foundation decoder accepting RFC 3339 timestamps with or without fractional seconds and with any
    /// UTC offset (`Z`, `+02:00`, `-05:30`).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "must be an RFC 3339 timestamp such as 2026-11-21T10:00:00.123Z"
                )
            }
            return date
        }
        return decoder
    }

    /// Encodes `value` as `makeEncoder()` would, with ApexFlow's own encoder
    /// (``JSONBodyEncoder``: the same JSON; about half of Foundation's cost in the echo server's
    /// profile, Benchmarks/Foundation/README.md).
    public static func encode(_ value: some Encodable) throws -> Data {
        Data(try JSONBodyEncoder.encode(value))
    }

    /// Encodes `value` into bytes, for a caller that copies them into its own buffer.
    public static func encodeBytes(_ value: some Encodable) throws -> [UInt8] {
        try JSONBodyEncoder.encode(value)
    }

    /// Decodes a `T` as `makeDecoder()` would, with ApexFlow's own decoder
    /// (``JSONBodyDecoder``: the same values and `DecodingError`s; about half of Foundation's cost).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try data.withUnsafeBytes { try JSONBodyDecoder.decode(type, from: $0) }
    }

    /// Decodes a `T` from JSON bytes (a request body read in place).
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        try JSONBodyDecoder.decode(type, from: bytes)
    }

    /// `date` as the contract writes it: `2026-11-21T10:00:00.123Z`. Useful outside JSON bodies
    /// too (cursors, logs, headers that carry timestamps).
    public static func formatDate(_ date: Date) -> String {
        RFC3339.format(date)
    }

    /// Parses an RFC 3339 timestamp; `nil` when `text` is not one.
    public static func parseDate(_ text: String) -> Date? {
        RFC3339.parse(text)
    }
}

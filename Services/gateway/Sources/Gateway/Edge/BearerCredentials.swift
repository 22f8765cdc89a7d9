/// The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1): the scheme in any
/// case, then the token without the optional whitespace (spaces, tabs) around it.
///
/// Read byte by byte: Foundation's `trimmingCharacters(in:)` bridged the ~900-byte ID token
/// through `NSString` and cost about 12 % of the gateway's CPU per proxied request
/// (Benchmarks/Gateway/README.md).
enum BearerCredentials {
    static func token(in header: String) -> String? {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer".utf8)
        guard bytes.count > scheme.count + 1, bytes[scheme.count] == UInt8(ascii: " ") else { return nil }
        for (byte, expected) in zip(bytes, scheme) where lowercased(byte) != expected { return nil }
        var start = scheme.count + 1
        var end = bytes.count
        while start < end, isOptionalWhitespace(bytes[start]) { start += 1 }
        while end > start, isOptionalWhitespace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    private static func isOptionalWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}

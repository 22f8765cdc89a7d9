/// The byte rules of RFC 9113 §8.2 for the header fields a server receives, checked over a
/// string's contiguous UTF-8 in one pass each.
///
/// The servers' NIOHTTP2 handlers do not validate header blocks (``HTTP2StreamServer``); these
/// rules, applied by `HTTPRequest(headerBlock:)`, are the check. NIOHTTP2's validation did the
/// same work byte by byte through `String.UTF8View` in both directions, our own answers
/// included: on a request carrying a Firebase ID token (about 900 bytes) it was 6 % of the
/// gateway's CPU (Benchmarks/Gateway/README.md, session 14).
enum HTTP2FieldSyntax {
    /// A regular field (not a pseudo-header one) as a request or its trailers may carry it: a
    /// lowercase token name, a value without NUL, CR or LF, and not connection-specific.
    static func isRegularField(name: String, value: String) -> Bool {
        isFieldName(name) && isFieldValue(value) && isAllowedField(name: name, value: value)
    }

    /// A regular field name: a token (RFC 9110 §5.6.2) without uppercase letters.
    static func isFieldName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            guard !bytes.isEmpty else { return false }
            for byte in bytes where !lowercaseTokenBytes[Int(byte)] { return false }
            return true
        }
    }

    /// A field value without NUL, LF or CR (§8.2.1). SP, HTAB and bytes from 0x80 stay legal;
    /// `HTTPField` then legalizes the value as it does for HTTP/1.1 (leading and trailing
    /// whitespace trimmed, other controls turned into spaces).
    static func isFieldValue(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            var index = 0
            // Eight bytes at a time: a word holds one of the three bytes when, xor-ed with that
            // byte repeated, it has a zero byte.
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if hasZeroByte(word) || hasZeroByte(word ^ repeated(0x0A)) || hasZeroByte(word ^ repeated(0x0D)) { return false }
                index += 8
            }
            while index < bytes.count {
                switch bytes[index] {
                case 0x00, 0x0A, 0x0D: return false
                default: index += 1
                }
            }
            return true
        }
    }

    /// A pseudo-header field's value: no control, space or DEL anywhere (what NIOHTTP2 checks,
    /// since `:path` becomes an HTTP/1.1 request line when a request is forwarded).
    static func isPseudoHeaderValue(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            for byte in bytes where byte <= 0x20 || byte == 0x7F { return false }
            return true
        }
    }

    /// Fields that belong to one HTTP/1.1 connection and are malformed in HTTP/2 (§8.2.2), and
    /// `te`, which may only say `trailers`.
    static func isAllowedField(name: String, value: String) -> Bool {
        switch name {
        case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade": false
        case "te": value == "trailers"
        default: true
        }
    }

    private static func repeated(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

    private static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0
    }

    /// `tchar` less `A`–`Z`: `!#$%&'*+-.^_`|~`, digits and lowercase letters.
    private static let lowercaseTokenBytes: [Bool] = (0...255).map { byte in
        switch byte {
        case 0x21, 0x23...0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x5E...0x7A, 0x7C, 0x7E: true
        default: false
        }
    }
}

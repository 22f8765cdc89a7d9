/// The `X-Request-ID` of a request: the client's when valid, else a generated one.
///
/// Valid means 1–128 characters of `[A-Za-z0-9._:-]` (API.md); anything else could smuggle
/// content into logs, so it is replaced rather than cleaned.
public enum RequestID {
    public static func accept(_ candidate: String?) -> String {
        if let candidate, isValid(candidate) { return candidate }
        return generate()
    }

    public static func isValid(_ value: String) -> Bool {
        guard (1...128).contains(value.utf8.count) else { return false }
        return value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }

    /// 32 hex characters: unique enough, cheap, and valid by construction.
    public static func generate() -> String { TraceContext.randomHex(bytes: 16) }
}

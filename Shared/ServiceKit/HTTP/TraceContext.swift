/// The W3C trace context of a request (`traceparent: 00-<trace id>-<parent id>-<flags>`).
///
/// A valid incoming `traceparent` keeps its trace id so logs across services join up; otherwise
/// a new trace starts. Each service hop gets its own span id.
public struct TraceContext: Sendable, Equatable {
    /// 32 lowercase hex characters.
    public var traceID: String
    /// 16 lowercase hex characters: this service's span.
    public var spanID: String
    public var sampled: Bool

    public init(traceID: String, spanID: String, sampled: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = sampled
    }

    /// A new trace.
    public static func random() -> TraceContext {
        TraceContext(traceID: randomHex(bytes: 16), spanID: randomHex(bytes: 8), sampled: true)
    }

    /// Continues the trace of `traceparent` with a new span, or starts a new trace when it is
    /// absent or malformed (wrong length, non-hex, all-zero ids, version `ff`).
    public static func continuing(_ traceparent: String?) -> TraceContext {
        guard let traceparent, let parsed = parse(traceparent) else { return .random() }
        return TraceContext(traceID: parsed.traceID, spanID: randomHex(bytes: 8), sampled: parsed.sampled)
    }

    /// The context of the span a `traceparent` names (the tracer's own span, read back).
    static func ofSpan(_ traceparent: String) -> TraceContext? {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard parse(traceparent) != nil, parts.count >= 4 else { return nil }
        return TraceContext(traceID: String(parts[1]), spanID: String(parts[2]).lowercased(), sampled: parts[3].hasSuffix("1"))
    }

    /// The header to send downstream: this span becomes the parent.
    public var traceparent: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    /// Reads the header's bytes in place: split into `Substring`s and checked `Character` by
    /// `Character` (grapheme breaking), it took about 6 % of a backend's CPU per request behind
    /// the gateway, which sends a `traceparent` on every call (Benchmarks/Gateway/README.md,
    /// session 13).
    static func parse(_ header: String) -> (traceID: String, sampled: Bool)? {
        var header = header
        return header.withUTF8 { bytes -> (traceID: String, sampled: Bool)? in
            // version "-" trace id (32) "-" parent id (16) "-" flags, then, in a later version
            // than 00 only, more "-"-separated lowercase hex fields.
            guard bytes.count >= 55, bytes[2] == dash, bytes[35] == dash, bytes[52] == dash else { return nil }
            for fields in hexFields {
                for byte in bytes[fields] where !isLowercaseHex(byte) { return nil }
            }
            let version = (bytes[0], bytes[1])
            guard version != (UInt8(ascii: "f"), UInt8(ascii: "f")) else { return nil }
            if bytes.count > 55 {
                guard version != (UInt8(ascii: "0"), UInt8(ascii: "0")), bytes[55] == dash else { return nil }
                for byte in bytes[56...] where byte != dash && !isLowercaseHex(byte) { return nil }
            }
            let zero = UInt8(ascii: "0")
            guard bytes[3..<35].contains(where: { $0 != zero }), bytes[36..<52].contains(where: { $0 != zero }) else { return nil }
            let sampled = hexValue(bytes[54]) & 1 == 1
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[3..<35]), as: UTF8.self), sampled)
        }
    }

    private static let dash = UInt8(ascii: "-")
    /// Version, trace id, parent id and flags: their byte ranges in the header.
    private static let hexFields = [0..<2, 3..<35, 36..<52, 53..<55]

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8 {
        byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : byte - UInt8(ascii: "a") + 10
    }

    /// `bytes` random bytes as lowercase hex, from ``IdentifierRandomness`` (every request draws
    /// a request id, a span id and often a trace id; the system generator made that up to five
    /// `getrandom` calls per request).
    static func randomHex(bytes: Int) -> String {
        var generator = IdentifierRandomness()
        var digits: [UInt8] = []
        digits.reserveCapacity(bytes * 2)
        while digits.count < bytes * 2 {
            var word = generator.next()
            for _ in 0..<min(8, bytes - digits.count / 2) {
                let byte = UInt8(truncatingIfNeeded: word)
                word >>= 8
                digits.append(hexDigits[Int(byte >> 4)])
                digits.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: digits, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

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

    static func parse(_ header: String) -> (traceID: String, sampled: Bool)? {
        let parts = header.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isLowercaseHex) }), parts[0] != "ff",
            parts[0] != "00" || parts.count == 4
        else { return nil }
        guard parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" }),
            let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        return (String(parts[1]), flags & 1 == 1)
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

extension Character {
    fileprivate var isLowercaseHex: Bool { ("0"..."9").contains(self) || ("a"..."f").contains(self) }
}

public import Foundation

/// Time-ordered UUIDs (RFC 9562 version 7) for server-generated ids.
///
/// The first 48 bits are the Unix time in milliseconds, so new rows land at the end of their
/// indexes and ids sort by creation time — which also makes them a stable tie-breaker for
/// keyset pagination.
public enum UUIDv7 {
    public static func generate(now: Date = Date()) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in 6..<16 { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        for index in 0..<6 { bytes[index] = UInt8((millis >> (8 * (5 - UInt64(index)))) & 0xff) }
        bytes[6] = (bytes[6] & 0x0f) | 0x70
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// The lowercase string form the API uses.
    public static func string(now: Date = Date()) -> String { generate(now: now).uuidString.lowercased() }
}

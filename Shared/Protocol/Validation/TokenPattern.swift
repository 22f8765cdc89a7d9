/// A "these ASCII characters, this many times" rule such as `[A-Za-z0-9_.:-]{1,128}`.
///
/// Every pattern in API.md has this shape, so a byte-set check replaces regular expressions:
/// exact, allocation-free, and cheap enough to run on every request id.
public struct TokenPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as API.md writes it; used in error messages ("must match …").
    public let description: String
    public let lengthRange: ClosedRange<Int>
    private let allowedLow: UInt64
    private let allowedHigh: UInt64

    /// - Parameters:
    ///   - description: the pattern as documented.
    ///   - characters: the allowed ASCII characters, written out (ranges expanded).
    ///   - length: the allowed length in characters.
    public init(_ description: String, characters: String, length: ClosedRange<Int>) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for byte in characters.utf8 where byte < 128 {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        self.description = description
        self.lengthRange = length
        self.allowedLow = low
        self.allowedHigh = high
    }

    /// Whether every character of `value` is allowed and its length is within range.
    public func matches(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard lengthRange.contains(utf8.count) else { return false }
        for byte in utf8 {
            guard byte < 128 else { return false }
            let allowed = byte < 64 ? allowedLow & (1 << UInt64(byte)) : allowedHigh & (1 << UInt64(byte - 64))
            if allowed == 0 { return false }
        }
        return true
    }

    private static let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    private static let lowercase = "abcdefghijklmnopqrstuvwxyz"
    private static let digits = "0123456789"

    /// Client-chosen ids of sessions and chats.
    public static let clientID = TokenPattern("[A-Za-z0-9_.:-]{1,128}", characters: letters + digits + "_.:-", length: 1...128)
    /// Keys of `/api/v1/state/{key}`.
    public static let stateKey = TokenPattern("[A-Za-z0-9_.:-]{1,128}", characters: letters + digits + "_.:-", length: 1...128)
    /// Memory categories.
    public static let category = TokenPattern("[a-z0-9_-]{1,64}", characters: lowercase + digits + "_-", length: 1...64)
    /// A client's `X-Request-ID` worth keeping; anything else is replaced by a generated id.
    public static let requestID = TokenPattern("[A-Za-z0-9._:-]{1,128}", characters: letters + digits + "._:-", length: 1...128)
}

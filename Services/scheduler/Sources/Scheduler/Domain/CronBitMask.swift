/// Bit helpers over `UInt64` value sets.
enum CronBitMask {
    /// The lowest set bit at index `from` or above, if any.
    @inline(__always)
    static func next(_ mask: UInt64, from index: Int) -> Int? {
        guard index < 64 else { return nil }
        let rest = mask & (~UInt64(0) << UInt64(max(index, 0)))
        return rest == 0 ? nil : rest.trailingZeroBitCount
    }

    /// The highest set bit at index `upTo` or below, if any.
    @inline(__always)
    static func previous(_ mask: UInt64, upTo index: Int) -> Int? {
        guard index >= 0 else { return nil }
        let rest = index >= 63 ? mask : mask & ((UInt64(1) << UInt64(index + 1)) &- 1)
        return rest == 0 ? nil : 63 - rest.leadingZeroBitCount
    }

    /// Number of set bits at indices 0 through `upTo` (0 when `upTo` < 0).
    @inline(__always)
    static func count(_ mask: UInt64, upTo index: Int) -> Int {
        guard index >= 0 else { return 0 }
        let rest = index >= 63 ? mask : mask & ((UInt64(1) << UInt64(index + 1)) &- 1)
        return rest.nonzeroBitCount
    }
}

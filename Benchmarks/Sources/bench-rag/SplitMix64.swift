/// A small, seedable random generator: the corpus and the queries are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A generator for one item of a family (user, document, chunk), independent of the order
    /// in which items are produced.
    static func seeded(_ parts: UInt64...) -> SplitMix64 {
        var mixer = SplitMix64(seed: 0x5eed_0f_a9e5)
        for part in parts { mixer = SplitMix64(seed: mixer.next() ^ part) }
        return mixer
    }
}

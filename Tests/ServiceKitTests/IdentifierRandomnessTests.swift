import Testing

@testable import ServiceKit

/// The generator behind request, trace and span ids.
@Suite("Identifier randomness")
struct IdentifierRandomnessTests {
    @Test func xoshiroMatchesTheReferenceImplementation() {
        // The C reference (prng.di.unimi.it/xoshiro256starstar.c) from the state {1, 2, 3, 4}.
        var generator = Xoshiro256StarStar(state: (1, 2, 3, 4))
        let expected: [UInt64] = [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360, 607_988_272_756_665_600]
        #expect((0..<6).map { _ in generator.next() } == expected)
    }

    @Test func seedsDifferAndNeverStartAtZero() {
        var first = Xoshiro256StarStar(seededBy: SystemRandomNumberGenerator())
        var second = Xoshiro256StarStar(seededBy: SystemRandomNumberGenerator())
        #expect((0..<4).map { _ in first.next() } != (0..<4).map { _ in second.next() })
        // A source that yields zeros first: the all-zero state is skipped.
        var zeros = Xoshiro256StarStar(seededBy: ZerosThenCounting())
        #expect((0..<4).contains { _ in zeros.next() != 0 })
    }

    @Test func everyBitIsSetAboutHalfTheTime() {
        let generator = IdentifierRandomness()
        let draws = 20_000
        var ones = [Int](repeating: 0, count: 64)
        for _ in 0..<draws {
            let word = generator.next()
            for bit in 0..<64 where word & (1 << UInt64(bit)) != 0 { ones[bit] += 1 }
        }
        // Binomial(20000, 0.5) has a standard deviation of about 71: 600 is over 8 of them.
        #expect(ones.allSatisfy { abs($0 - draws / 2) < 600 })
    }

    @Test func idsDrawnConcurrentlyAreUnique() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<2000).map { _ in TraceContext.randomHex(bytes: 16) } } }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(Set(ids).count == 16_000)
    }
}

/// Four zero words, then 1, 2, 3, …
private struct ZerosThenCounting: RandomNumberGenerator {
    var calls: UInt64 = 0
    mutating func next() -> UInt64 {
        calls += 1
        return calls <= 4 ? 0 : calls
    }
}

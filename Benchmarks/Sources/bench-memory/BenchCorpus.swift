/// The synthetic corpus: short memory-like sentences from a Zipf vocabulary, spread over ten
/// users as PERFORMANCE.md's corpus is (one user holds half the rows, nine share the rest).
/// Deterministic: the same seed gives the same corpus and the same queries.
struct BenchCorpus {
    static let users = 10
    static let categories = ["general", "preference", "fact", "instruction", "work", "health", "travel", "family"]
    static let vocabularySize = 4000

    let vocabulary: [String]
    /// Cumulative Zipf (s = 1) weights over `vocabulary`.
    private let cumulative: [Double]

    init() {
        var random = SplitMix64(seed: 0x5eed)
        let onsets = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "st", "tr", "pl"]
        let vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ea"]
        let codas = ["", "n", "r", "s", "l", "m", "t", "nd", "rk"]
        var words = Set<String>()
        var ordered: [String] = []
        while ordered.count < Self.vocabularySize {
            let syllables = 1 + Int(random.next() % 3)
            var word = ""
            for _ in 0..<syllables {
                word += onsets[Int(random.next() % UInt64(onsets.count))] + vowels[Int(random.next() % UInt64(vowels.count))]
            }
            word += codas[Int(random.next() % UInt64(codas.count))]
            if word.count >= 3, words.insert(word).inserted { ordered.append(word) }
        }
        vocabulary = ordered
        var total = 0.0
        cumulative = (1...Self.vocabularySize).map { rank in
            total += 1.0 / Double(rank)
            return total
        }
    }

    func word(_ random: inout SplitMix64) -> String {
        let target = random.unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < target { low = mid + 1 } else { high = mid }
        }
        return vocabulary[low]
    }

    /// A memory of 8–24 words, shaped like the statements the service stores.
    func memoryText(_ random: inout SplitMix64) -> String {
        let openings = ["I prefer", "My", "Remember that", "Always", "I like", "The", "Never", "I usually"]
        let count = 8 + Int(random.next() % 17)
        let words = (0..<count).map { _ in word(&random) }.joined(separator: " ")
        return openings[Int(random.next() % UInt64(openings.count))] + " " + words
    }

    /// A search query of 2–4 words.
    func query(_ random: inout SplitMix64) -> String {
        (0..<(2 + Int(random.next() % 3))).map { _ in word(&random) }.joined(separator: " ")
    }

    /// User 0 holds half the rows; users 1–9 share the other half.
    static func user(forRow row: Int, of total: Int) -> Int {
        row < total / 2 ? 0 : 1 + (row - total / 2) % (users - 1)
    }

    static func userID(_ index: Int) -> String { "bench-user-\(index)" }
}

/// A small, fast, seedable generator (deterministic corpora across runs and machines).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

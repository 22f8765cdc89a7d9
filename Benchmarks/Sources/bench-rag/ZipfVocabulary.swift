import Foundation

/// Words with Zipf-distributed frequencies (P(rank r) ∝ 1/r^s), like running English text.
///
/// The most frequent ranks are real English stop words (they carry ~35–40 % of the tokens, as in
/// prose, and `to_tsvector('english', …)` drops them); the rest are made-up pronounceable words
/// whose length grows with rank (frequent words are short). Made-up words are built from
/// consonant–vowel syllables without `e`, so none of them is an English stop word.
struct ZipfVocabulary: Sendable {
    static let stopWords = [
        "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "with", "was", "on", "be", "by",
        "this", "are", "or", "from", "at", "an", "but", "not", "have", "they", "which", "we", "their", "has",
        "were", "been", "can", "if", "more", "when", "will", "would", "there", "its",
    ]
    static let consonants = Array("bcdfghjklmnprstvz")
    static let vowels = Array("aiou")

    let words: [String]
    /// cumulative[i] = P(rank ≤ i)
    private let cumulative: [Double]

    init(size: Int = 50_000, exponent: Double = 1.0) {
        var words = Self.stopWords
        let syllables = Self.consonants.flatMap { c in Self.vowels.map { v in String([c, v]) } }  // 68
        var index = 0
        while words.count < size {
            let rank = words.count
            let count = rank < 120 ? 2 : rank < 1_500 ? 3 : rank < 12_000 ? 4 : 5
            // A bijection of the index (the multiplier is coprime to 68) spreads the syllables.
            var modulus: UInt64 = 1
            for _ in 0..<count { modulus *= UInt64(syllables.count) }
            var n = Int((UInt64(index) &* 2_654_435_761) % modulus)
            var word = ""
            for _ in 0..<count {
                word += syllables[n % syllables.count]
                n /= syllables.count
            }
            // A trailing consonant on half the words varies the shapes (and lengths).
            if index % 2 == 1 { word.append(Self.consonants[(index / 2) % Self.consonants.count]) }
            words.append(word)
            index += 1
        }
        self.words = words
        var total = 0.0
        var cumulative: [Double] = []
        cumulative.reserveCapacity(size)
        for rank in 1...size {
            total += 1 / Double(rank).power(exponent)
            cumulative.append(total)
        }
        self.cumulative = cumulative.map { $0 / total }
    }

    /// The rank (0-based) of a word drawn at random.
    func drawRank(_ random: inout SplitMix64) -> Int {
        let u = random.unit()
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < u { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func isStopWord(rank: Int) -> Bool { rank < Self.stopWords.count }
}

extension Double {
    fileprivate func power(_ exponent: Double) -> Double {
        exponent == 1 ? self : Foundation.exp(exponent * Foundation.log(self))
    }
}

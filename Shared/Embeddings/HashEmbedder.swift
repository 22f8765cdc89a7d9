/// Deterministic feature-hashing embedder for tests and benchmarks (no model files).
///
/// The text is lower-cased and split into words (runs of letters and digits). Every word
/// unigram (weight 1) and adjacent-word bigram (weight 0.5) is hashed with 64-bit FNV-1a
/// (plus a final avalanche step) into one of `dimension` buckets with a hash-derived sign, and
/// the vector is L2-normalised. Texts that share more words therefore have a higher cosine.
/// A text without words maps to a fixed unit vector (the bucket of an empty-text marker).
/// The name (`hash-v1`) must change whenever the function does: stored vectors depend on it.
public struct HashEmbedder: Embedder {
    public let model: EmbeddingModelInfo

    public init(dimension: Int = 384, name: String = "hash-v1") {
        precondition(dimension > 0, "HashEmbedder needs a positive dimension")
        model = EmbeddingModelInfo(name: name, dimension: dimension)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map(vector(for:))
    }

    /// The embedding of one text (synchronous; `embed` maps this over its input).
    public func vector(for text: String) -> [Float] {
        let dimension = model.dimension
        var accumulator = [Double](repeating: 0, count: dimension)
        let words = Self.words(of: text)

        func add(_ feature: String, kind: UInt8, weight: Double) {
            let hash = Self.hash(feature, kind: kind)
            let bucket = Int(hash % UInt64(dimension))
            let sign: Double = (hash >> 63) == 0 ? 1 : -1
            accumulator[bucket] += sign * weight
        }

        if words.isEmpty {
            add("", kind: 0, weight: 1)
        }
        for (index, word) in words.enumerated() {
            add(word, kind: 1, weight: 1)
            if index > 0 {
                add(words[index - 1] + " " + word, kind: 2, weight: 0.5)
            }
        }
        var norm = accumulator.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm == 0 {
            // Every feature cancelled out (possible only through signed collisions): fall back
            // to the marker so the result still has unit length.
            accumulator = [Double](repeating: 0, count: dimension)
            accumulator[Int(Self.hash("", kind: 0) % UInt64(dimension))] = 1
            norm = 1
        }
        return accumulator.map { Float($0 / norm) }
    }

    static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty {
            words.append(current)
        }
        return words
    }

    /// FNV-1a (64-bit) over the feature kind and the UTF-8 bytes, then a splitmix64 finaliser so
    /// that the low bits used for the bucket and the top bit used for the sign are well mixed.
    static func hash(_ feature: String, kind: UInt8) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01b3
        hash = (hash ^ UInt64(kind)) &* prime
        for byte in feature.utf8 {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        hash ^= hash >> 30
        hash &*= 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 27
        hash &*= 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return hash
    }
}

import ApexProtocol

/// A search hit as the store ranks it: the memory, its cosine similarity to the query (the
/// `score` clients read), and the fusion that ordered it.
struct RankedMemory: Sendable {
    var memory: Memory
    var similarity: Double
    /// Σ 1 / (60 + rank) over the vector and keyword rankings (`ReciprocalRankFusion`).
    var fusedScore: Double
    var vectorRank: Int?
    var keywordRank: Int?
}

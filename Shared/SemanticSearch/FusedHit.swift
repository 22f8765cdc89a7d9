/// One id after reciprocal rank fusion: its fused score and where it stood in each input list.
///
/// The ranks are kept, not just the score, because the API reports them (`vector_rank`,
/// `keyword_rank`) so a caller can see why a hit came back; `nil` means the list did not
/// contain the id.
public struct FusedHit<ID: Hashable>: Hashable {
    public let id: ID
    /// Σ 1 / (k + rank) over the lists that contain the id.
    public let score: Double
    /// 1-based position in the vector (semantic) ranking, or `nil` when absent from it.
    public let vectorRank: Int?
    /// 1-based position in the keyword (full-text) ranking, or `nil` when absent from it.
    public let keywordRank: Int?

    public init(id: ID, score: Double, vectorRank: Int?, keywordRank: Int?) {
        self.id = id
        self.score = score
        self.vectorRank = vectorRank
        self.keywordRank = keywordRank
    }

    /// The better (smaller) of the two ranks: the first tie-breaker after the score.
    public var bestRank: Int {
        switch (vectorRank, keywordRank) {
        case let (vector?, keyword?): min(vector, keyword)
        case let (vector?, nil): vector
        case let (nil, keyword?): keyword
        case (nil, nil): Int.max
        }
    }
}

extension FusedHit: Sendable where ID: Sendable {}

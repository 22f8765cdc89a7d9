/// Merges a vector ranking and a keyword ranking into one list by reciprocal rank fusion:
/// each id scores Σ 1 / (k + rank) over the lists it appears in, ranks starting at 1.
///
/// RRF needs no score calibration between cosine similarity and `ts_rank_cd`, which live on
/// unrelated scales; it rewards ids that both rankings like. Search does the same fusion in SQL
/// in one round trip; this is the reference that SQL is tested against, and the memory service
/// fuses with it directly, hence generic over the id type.
///
/// The order is total and deterministic: higher score first, then the better best rank, then
/// the smaller id, so equal inputs always give equal pages.
public struct ReciprocalRankFusion: Sendable, Hashable {
    /// The constant from Cormack et al. (2009), and the one ARCHITECTURE.md fixes.
    public static let defaultK = 60

    /// Damps the weight of the very top ranks; larger k flattens the curve.
    public let k: Int

    public init(k: Int = ReciprocalRankFusion.defaultK) {
        precondition(k >= 0, "RRF k must not be negative")
        self.k = k
    }

    /// The contribution of one list position (1-based) to an id's fused score.
    public func contribution(ofRank rank: Int) -> Double {
        1.0 / Double(k + rank)
    }

    /// Fuses the two rankings (best first) and returns the best `limit` hits.
    ///
    /// An id repeated within one list counts once, at its first (best) position.
    /// A `limit` of zero or less returns nothing.
    public func fuse<ID: Hashable & Comparable>(
        vectorRanking: [ID],
        keywordRanking: [ID],
        limit: Int
    ) -> [FusedHit<ID>] {
        guard limit > 0 else { return [] }
        var vectorRanks: [ID: Int] = [:]
        vectorRanks.reserveCapacity(vectorRanking.count)
        for (offset, id) in vectorRanking.enumerated() where vectorRanks[id] == nil {
            vectorRanks[id] = offset + 1
        }
        var keywordRanks: [ID: Int] = [:]
        keywordRanks.reserveCapacity(keywordRanking.count)
        for (offset, id) in keywordRanking.enumerated() where keywordRanks[id] == nil {
            keywordRanks[id] = offset + 1
        }

        var hits: [FusedHit<ID>] = []
        hits.reserveCapacity(vectorRanks.count + keywordRanks.count)
        for (id, vectorRank) in vectorRanks {
            let keywordRank = keywordRanks[id]
            // Always vector term first, then keyword term: the same order of additions as the SQL.
            var score = contribution(ofRank: vectorRank)
            if let keywordRank { score += contribution(ofRank: keywordRank) }
            hits.append(FusedHit(id: id, score: score, vectorRank: vectorRank, keywordRank: keywordRank))
        }
        for (id, keywordRank) in keywordRanks where vectorRanks[id] == nil {
            let score = contribution(ofRank: keywordRank)
            hits.append(FusedHit(id: id, score: score, vectorRank: nil, keywordRank: keywordRank))
        }

        hits.sort { lhs, rhs in
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            if lhs.bestRank != rhs.bestRank { return lhs.bestRank < rhs.bestRank }
            return lhs.id < rhs.id
        }
        if hits.count > limit { hits.removeSubrange(limit...) }
        return hits
    }
}

import Testing

@testable import SemanticSearch

@Suite("Reciprocal rank fusion")
struct ReciprocalRankFusionTests {
    private let fusion = ReciprocalRankFusion()

    @Test func scoresAreTheSumOfOneOverSixtyPlusRank() {
        let hits = fusion.fuse(vectorRanking: ["a", "b", "c"], keywordRanking: ["c", "a", "d"], limit: 10)
        #expect(hits.map(\.id) == ["a", "c", "b", "d"])
        #expect(hits[0] == FusedHit(id: "a", score: 1.0 / 61 + 1.0 / 62, vectorRank: 1, keywordRank: 2))
        #expect(hits[1] == FusedHit(id: "c", score: 1.0 / 63 + 1.0 / 61, vectorRank: 3, keywordRank: 1))
        #expect(hits[2] == FusedHit(id: "b", score: 1.0 / 62, vectorRank: 2, keywordRank: nil))
        #expect(hits[3] == FusedHit(id: "d", score: 1.0 / 63, vectorRank: nil, keywordRank: 3))
        #expect(abs(hits[0].score - 0.032522474881015335) < 1e-15)
    }

    @Test func anIdInBothListsBeatsTheTopOfOne() {
        // 1/62 + 1/62 ≈ 0.03226 > 1/61 ≈ 0.01639
        let hits = fusion.fuse(vectorRanking: ["top", "both"], keywordRanking: ["other", "both"], limit: 3)
        #expect(hits.first?.id == "both")
        #expect(hits.first?.vectorRank == 2 && hits.first?.keywordRank == 2)
    }

    @Test func equalScoresAreOrderedByBestRankThenId() {
        // Mirror images score the same: the better best rank is 1 for both, so the id decides.
        let mirrored = fusion.fuse(vectorRanking: ["y", "x"], keywordRanking: ["x", "y"], limit: 10)
        #expect(mirrored.map(\.id) == ["x", "y"])
        #expect(mirrored[0].score == mirrored[1].score)

        // 1/(60+62) + 1/(60+62) == 1/(60+1) exactly; "zzz" ranks 1 somewhere, "aaa" only 62.
        let fillerV = (1...60).map { "v\($0)" }
        let fillerK = (1...61).map { "k\($0)" }
        let hits = fusion.fuse(
            vectorRanking: ["zzz"] + fillerV + ["aaa"],
            keywordRanking: fillerK + ["aaa"],
            limit: 200
        )
        let zzz = hits.firstIndex { $0.id == "zzz" }!
        let aaa = hits.firstIndex { $0.id == "aaa" }!
        #expect(hits[zzz].score == hits[aaa].score)
        #expect(zzz < aaa)
    }

    @Test func orderIsTotalAndRepeatable() {
        let vector = (0..<40).map { "v\($0 % 25)" }
        let keyword = (0..<40).map { "v\(($0 * 7) % 31)" }
        let first = fusion.fuse(vectorRanking: vector, keywordRanking: keyword, limit: 50)
        for _ in 0..<5 {
            #expect(fusion.fuse(vectorRanking: vector, keywordRanking: keyword, limit: 50) == first)
        }
        for (better, worse) in zip(first, first.dropFirst()) {
            #expect(
                better.score > worse.score
                    || (better.score == worse.score && better.bestRank < worse.bestRank)
                    || (better.score == worse.score && better.bestRank == worse.bestRank && better.id < worse.id))
        }
    }

    @Test func oneEmptyListKeepsTheOtherOrder() {
        let vectorOnly = fusion.fuse(vectorRanking: [3, 1, 2], keywordRanking: [Int](), limit: 10)
        #expect(vectorOnly.map(\.id) == [3, 1, 2])
        #expect(vectorOnly.allSatisfy { $0.keywordRank == nil })
        #expect(vectorOnly.map(\.vectorRank) == [1, 2, 3])
        let expected: [Double] = [1.0 / 61, 1.0 / 62, 1.0 / 63]
        #expect(vectorOnly.map(\.score) == expected)

        let keywordOnly = fusion.fuse(vectorRanking: [Int](), keywordRanking: [9, 8], limit: 10)
        #expect(keywordOnly.map(\.id) == [9, 8])
        #expect(keywordOnly.allSatisfy { $0.vectorRank == nil })
        #expect(keywordOnly.map(\.keywordRank) == [1, 2])
    }

    @Test func bothEmptyGiveNothing() {
        #expect(fusion.fuse(vectorRanking: [String](), keywordRanking: [], limit: 10).isEmpty)
    }

    @Test func limitKeepsTheBest() {
        let ids = (1...100).map { $0 }
        let hits = fusion.fuse(vectorRanking: ids, keywordRanking: ids.reversed(), limit: 5)
        #expect(hits.count == 5)
        #expect(fusion.fuse(vectorRanking: ids, keywordRanking: ids, limit: 0).isEmpty)
        #expect(fusion.fuse(vectorRanking: ids, keywordRanking: ids, limit: -1).isEmpty)
        #expect(fusion.fuse(vectorRanking: ids, keywordRanking: ids, limit: 1000).count == 100)
    }

    @Test func anIdRepeatedInOneListCountsOnceAtItsBestRank() {
        let hits = fusion.fuse(vectorRanking: ["a", "b", "a"], keywordRanking: ["a"], limit: 10)
        #expect(hits[0] == FusedHit(id: "a", score: 1.0 / 61 + 1.0 / 61, vectorRank: 1, keywordRank: 1))
        #expect(hits.count == 2)
    }

    @Test func kIsConfigurable() {
        let hits = ReciprocalRankFusion(k: 0).fuse(vectorRanking: ["a", "b"], keywordRanking: ["b"], limit: 2)
        let expected: [Double] = [1.0 / 2 + 1.0 / 1, 1.0 / 1]
        #expect(hits.map(\.score) == expected)
        #expect(ReciprocalRankFusion().k == 60)
    }
}

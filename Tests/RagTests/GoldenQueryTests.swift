import ApexProtocol
import ApexTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import Rag

/// Queries worded differently from the documents must find them: the expected document is in
/// the top 3 of hybrid search. With the `hash` embedder (lexical, deterministic) the keyword
/// side's English stemming and the vector side's shared words carry it.
@Suite("Golden queries")
struct GoldenQueryTests {
    static let corpus: [(String, String)] = [
        (
            "sourdough.md",
            "Baking sourdough bread starts with a lively starter. Feed the starter flour and water, let the dough rise overnight, then bake the loaves in a hot Dutch oven until the crust is deep brown."
        ),
        (
            "kubernetes.md",
            "Kubernetes schedules containers onto nodes. A Deployment keeps replicas running, a Service gives pods a stable address, and the horizontal autoscaler adds pods when CPU load climbs."
        ),
        (
            "marathon.md",
            "Training for a marathon means building mileage slowly. Long runs on weekends, easy recovery jogs, and tapering in the final weeks help runners reach the finish line without injury."
        ),
        (
            "photosynthesis.md",
            "Photosynthesis lets plants turn sunlight, water and carbon dioxide into glucose and oxygen. Chlorophyll in the leaves absorbs light energy inside the chloroplasts."
        ),
        (
            "mortgage.md",
            "A fixed-rate mortgage keeps the same interest rate for the whole loan term, so monthly payments stay predictable. Refinancing can lower the rate when market interest falls."
        ),
        (
            "volcano.md",
            "Volcanoes erupt when magma rises through the crust. Lava flows, ash clouds and pyroclastic surges make eruptions dangerous for towns near the volcano."
        ),
        (
            "chess.md",
            "In chess openings, players fight for the centre, develop knights and bishops early, and castle the king to safety before launching an attack."
        ),
        (
            "coffee.md",
            "Espresso is brewed by forcing hot water through finely ground coffee beans. The grind size, the dose and the extraction time decide how bitter or sour the shot tastes."
        ),
        (
            "vaccines.md",
            "Vaccines train the immune system to recognise a pathogen. After vaccination, antibodies and memory cells protect the body against future infection."
        ),
        (
            "taxes.md",
            "Freelancers pay estimated income tax every quarter. Keeping receipts for business expenses reduces the taxable income reported on the annual return."
        ),
        (
            "guitar.md",
            "Learning guitar chords takes practice: press the strings firmly behind the frets, strum evenly, and switch between chord shapes slowly until the changes feel smooth."
        ),
        (
            "beekeeping.md",
            "Beekeepers inspect hives for the queen, brood and honey stores. Bees collect nectar from flowers and turn it into honey inside wax combs."
        ),
    ]

    static let queries: [(String, String)] = [
        ("how do I bake bread with a starter", "sourdough.md"),
        ("autoscaling pods in a container cluster", "kubernetes.md"),
        ("how should runners train for a marathon race", "marathon.md"),
        ("how plants make oxygen from light", "photosynthesis.md"),
        ("home loan with a stable interest payment", "mortgage.md"),
        ("why eruptions of magma are dangerous", "volcano.md"),
        ("good opening moves: castling and developing bishops", "chess.md"),
        ("why is my espresso shot bitter", "coffee.md"),
        ("how immunity works after a vaccination", "vaccines.md"),
        ("quarterly taxes for self-employed freelancers", "taxes.md"),
        ("switching chord shapes on the strings", "guitar.md"),
        ("where honey comes from in a hive", "beekeeping.md"),
    ]

    @Test func expectedDocumentIsInTheTopThree() async throws {
        try await RagTestApp.make().test(.router) { client in
            let rag = client.rag()
            var ids: [String: String] = [:]
            for (filename, content) in Self.corpus {
                ids[filename] = try await rag.upload(filename, content).1.id
            }
            var misses: [String] = []
            for (query, expected) in Self.queries {
                let results = try await rag.search(query).results
                let top3 = results.prefix(3).map(\.documentID)
                if !top3.contains(ids[expected]!) {
                    misses.append("\(query) → \(results.prefix(3).map(\.filename))")
                }
            }
            #expect(misses.isEmpty, "\(misses)")
        }
    }

    @Test func modesRankAndScoreAsDocumented() async throws {
        try await RagTestApp.make().test(.router) { client in
            let rag = client.rag()
            for (filename, content) in Self.corpus.prefix(6) { _ = try await rag.upload(filename, content) }
            let vector = try await rag.search("volcano magma eruptions", mode: .vector, limit: 6)
            #expect(vector.results.count == 6, "vector mode returns limit hits when the user has that many chunks")
            #expect(vector.results.map(\.vectorRank) == (1...6).map { $0 })
            #expect(vector.results.allSatisfy { $0.keywordRank == nil && $0.score <= 1 && $0.score >= -1 })
            #expect(vector.results.first?.filename == "volcano.md")

            let keyword = try await rag.search("volcano magma eruptions", mode: .keyword)
            #expect(keyword.results.first?.filename == "volcano.md")
            #expect(keyword.results.allSatisfy { $0.vectorRank == nil && $0.keywordRank != nil })

            let hybrid = try await rag.search("volcano magma eruptions")
            let top = try #require(hybrid.results.first)
            #expect(top.filename == "volcano.md")
            #expect(top.vectorRank == 1 && top.keywordRank == 1)
            #expect(abs(top.score - 2.0 / 61.0) < 1e-9, "RRF: 1/(60+1) + 1/(60+1)")
            #expect(hybrid.results.map(\.score) == hybrid.results.map(\.score).sorted(by: >))
        }
    }
}

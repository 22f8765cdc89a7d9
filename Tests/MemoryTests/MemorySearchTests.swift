import ApexProtocol
import ApexTestSupport
import Embeddings
import Foundation
import SemanticSearch
import ServiceKit
import Testing

@testable import Memory

@Suite("Memory search in the store")
struct MemorySearchTests {
    static func store(_ database: Database) -> PostgresMemoryStore {
        PostgresMemoryStore(database: database, logger: MemoryTestDatabase.logger, dedupThreshold: 0.95)
    }

    static func add(_ texts: [String], embedder: any Embedder, store: PostgresMemoryStore, userID: String) async throws -> [String: Memory]
    {
        let vectors = try await embedder.embed(texts)
        var memories: [String: Memory] = [:]
        for (text, vector) in zip(texts, vectors) {
            let draft = MemoryDraft(text: text, category: "general", source: "test", confidence: 1, metadata: [:], embedding: vector)
            memories[text] = try await store.create(draft, userID: userID).memory
        }
        return memories
    }

    static func search(
        _ query: String, embedder: any Embedder, store: PostgresMemoryStore, userID: String, limit: Int = 10
    ) async throws -> [RankedMemory] {
        let vector = try await embedder.embed([query])[0]
        return try await store.search(
            MemorySearch(embedding: vector, keywords: KeywordQuery(query), limit: limit, category: nil, candidates: 40), userID: userID)
    }

    /// The SQL fusion must order exactly as `ReciprocalRankFusion` does for the same rankings.
    @Test func theStatementFusesLikeReciprocalRankFusion() async throws {
        try await MemoryTestDatabase.withPrepared { database in
            let store = Self.store(database)
            let user = MemoryTestApp.newUser()
            let embedder = HashEmbedder()
            let texts = (0..<30).map {
                "note \($0): " + ["coffee beans", "green tea", "coffee grinder", "tea kettle", "travel plans"][$0 % 5]
                    + " item \($0 * 37 % 11)"
            }
            _ = try await Self.add(texts, embedder: embedder, store: store, userID: user)
            for query in ["coffee", "tea kettle", "travel item 3", "grinder or kettle"] {
                // 30 memories, 40 candidates per side: every memory is in the vector ranking and
                // every keyword match in the keyword ranking, so the hits carry both rankings whole.
                let hits = try await Self.search(query, embedder: embedder, store: store, userID: user, limit: 30)
                #expect(hits.count == 30)
                let vectorRanking = hits.filter { $0.vectorRank != nil }.sorted { $0.vectorRank! < $1.vectorRank! }.map(\.memory.id)
                let keywordRanking = hits.filter { $0.keywordRank != nil }.sorted { $0.keywordRank! < $1.keywordRank! }.map(\.memory.id)
                #expect(vectorRanking.count == 30 && !keywordRanking.isEmpty, "\(query)")
                #expect(hits.compactMap(\.vectorRank).sorted() == Array(1...30))
                #expect(hits.compactMap(\.keywordRank).sorted() == Array(1...keywordRanking.count))
                let reference = ReciprocalRankFusion().fuse(vectorRanking: vectorRanking, keywordRanking: keywordRanking, limit: 30)
                #expect(reference.map(\.id) == hits.map(\.memory.id), "\(query)")
                #expect(reference.map(\.score) == hits.map(\.fusedScore), "\(query)")
            }
        }
    }

    /// With the lexical hash embedder "by meaning" can only mean "by the words of the new text":
    /// the test shows the stored vector follows the patched text (the old wording no longer
    /// resembles it, the new wording ranks it first on the vector side alone).
    @Test func aPatchedMemoryIsFoundByItsNewWording() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            let target = try await api.call(.post, "/api/v1/memories", json: #"{"text": "I like green tea with jasmine"}"#, as: Memory.self)
            for text in ["The office moved to Lyon last spring", "My favourite editor is vim", "Weekly review happens on Friday"] {
                _ = try await api.call(.post, "/api/v1/memories", json: #"{"text": "\#(text)"}"#, as: Memory.self)
            }
            _ = try await api.call(
                .patch, "/api/v1/memories/\(target.id)", json: #"{"text": "I drink espresso with oat milk every morning"}"#, as: Memory.self
            )
            let found = try await api.call(
                .post, "/api/v1/memories/search", json: #"{"query": "espresso with oat milk", "limit": 2}"#, as: MemorySearchResponse.self)
            #expect(found.results.first?.id == target.id)
            #expect(found.results.first!.score > 0.5)
            let old = try await api.call(
                .post, "/api/v1/memories/search", json: #"{"query": "green tea jasmine", "limit": 4}"#, as: MemorySearchResponse.self)
            #expect(old.results.first(where: { $0.id == target.id })!.score < 0.2)
        }
        try await MemoryTestDatabase.withPrepared { database in
            let store = Self.store(database)
            let user = MemoryTestApp.newUser()
            let embedder = HashEmbedder()
            let memories = try await Self.add(
                ["I like green tea with jasmine", "The office moved to Lyon last spring", "My favourite editor is vim"],
                embedder: embedder, store: store, userID: user)
            let target = memories["I like green tea with jasmine"]!
            let newText = "I drink espresso with oat milk every morning"
            let vector = try await embedder.embed([newText])[0]
            _ = try await store.update(
                id: UUID(uuidString: target.id)!, userID: user, changes: MemoryChanges(text: (newText, embedding: vector)))
            // "sipping" matches no stored word: the keyword side is empty, the vector side decides.
            let hits = try await Self.search("espresso sipping oat milk morning", embedder: embedder, store: store, userID: user)
            let hit = try #require(hits.first)
            #expect(hit.memory.id == target.id && hit.vectorRank == 1)
        }
    }

    /// The same, by meaning proper, with all-MiniLM-L6-v2 when the model is available
    /// (`LOCAL_MODEL_DIR`, set by scripts/test). The test database records the hash model (both
    /// are 384-dimensional), so this test writes MiniLM vectors for one user through the store
    /// directly; only this user's vectors are ever compared with each other.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LOCAL_MODEL_DIR"] != nil))
    func aPatchedMemoryIsFoundByMeaningWithMiniLM() async throws {
        let directory = URL(fileURLWithPath: ProcessInfo.processInfo.environment["LOCAL_MODEL_DIR"]!, isDirectory: true)
        let embedder = try MiniLMEmbedder(directory: directory, threads: 2)
        try await MemoryTestDatabase.withPrepared { database in
            let store = Self.store(database)
            let user = MemoryTestApp.newUser()
            let memories = try await Self.add(
                ["I like green tea", "I prefer dark roast coffee", "The office moved to Lyon", "My favourite editor is vim"],
                embedder: embedder, store: store, userID: user)
            let target = memories["I like green tea"]!
            let newText = "My daughter is called Ana"
            let vector = try await embedder.embed([newText])[0]
            _ = try await store.update(
                id: UUID(uuidString: target.id)!, userID: user, changes: MemoryChanges(text: (newText, embedding: vector)))
            // No word of the query is in any memory: only meaning can find it.
            #expect(!KeywordQuery("What is the name of my child?").text.contains("daughter"))
            let hits = try await Self.search("What is the name of my child?", embedder: embedder, store: store, userID: user)
            #expect(hits.first?.memory.id == target.id)
            #expect(hits.first?.keywordRank == nil)
        }
    }
}

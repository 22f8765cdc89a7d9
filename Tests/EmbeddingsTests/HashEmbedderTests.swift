import Testing

@testable import Embeddings

@Suite("hash embedder")
struct HashEmbedderTests {
    let embedder = HashEmbedder()

    @Test("deterministic unit vectors of the configured dimension")
    func unitVectors() async throws {
        #expect(embedder.model == EmbeddingModelInfo(name: "hash-v1", dimension: 384))
        let texts = ["Hello world", "", "   ...   ", "Ünïcödé wörds 東京", "a b c d e f g"]
        let first = try await embedder.embed(texts)
        let second = try await HashEmbedder().embed(texts)
        #expect(first == second)
        for vector in first {
            #expect(vector.count == 384)
            #expect(abs(norm(vector) - 1) < 1e-5)
        }
        let small = try await HashEmbedder(dimension: 8, name: "hash-8").embed(["x y z"])
        #expect(small[0].count == 8)
    }

    @Test("texts sharing more words are closer")
    func sharedWords() {
        let anchor = embedder.vector(for: "postgres vector search with hnsw indexes")
        let many = embedder.vector(for: "vector search with hnsw indexes in a database")
        let few = embedder.vector(for: "search recipes for dinner tonight")
        let none = embedder.vector(for: "the cat sleeps on the sofa")
        #expect(cosine(anchor, many) > cosine(anchor, few))
        #expect(cosine(anchor, few) > cosine(anchor, none))
        #expect(cosine(anchor, embedder.vector(for: "POSTGRES Vector search, with HNSW indexes!")) > 0.9999)
    }

    @Test("word order matters through bigrams")
    func bigrams() {
        let a = embedder.vector(for: "new york city")
        let same = embedder.vector(for: "new york city")
        let swapped = embedder.vector(for: "city york new")
        #expect(cosine(a, same) > 0.9999)
        #expect(cosine(a, swapped) < 0.99)
    }
}

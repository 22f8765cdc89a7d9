import ApexProtocol
import ApexTestSupport
import Embeddings
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Memory

@Suite("Memories over HTTP")
struct MemoriesTests {
    @Test func createGetPatchDeleteAndList() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            let created = try await api.send(
                .post, "/api/v1/memories",
                json: #"{"text": "I prefer dark roast coffee", "category": "preference", "metadata": {"from": "test"}}"#)
            #expect(created.status == .created)
            let memory = try MemoryAPI.decode(Memory.self, from: created)
            #expect(memory.category == "preference" && memory.source == "api" && memory.confidence == 1)
            #expect(memory.metadata == ["from": "test"] && !memory.deduplicated)
            #expect(UUID(uuidString: memory.id) != nil && memory.id == memory.id.lowercased())

            #expect(try await api.call(.get, "/api/v1/memories/\(memory.id)", as: Memory.self) == memory)
            let patched = try await api.call(
                .patch, "/api/v1/memories/\(memory.id)", json: #"{"confidence": 0.5, "metadata": {"edited": true}}"#, as: Memory.self)
            #expect(patched.text == memory.text && patched.confidence == 0.5 && patched.metadata == ["edited": true])
            #expect(patched.updatedAt >= memory.updatedAt)

            _ = try await api.call(.post, "/api/v1/memories", json: #"{"text": "The office moved to Lyon"}"#, as: Memory.self)
            let all = try await api.call(.get, "/api/v1/memories", as: Page<Memory>.self)
            #expect(all.items.map(\.text) == ["The office moved to Lyon", "I prefer dark roast coffee"])
            let preferences = try await api.call(.get, "/api/v1/memories?category=preference", as: Page<Memory>.self)
            #expect(preferences.items.map(\.id) == [memory.id] && preferences.nextCursor == nil)

            #expect(try await api.send(.delete, "/api/v1/memories/\(memory.id)").status == .noContent)
            #expect(try await api.send(.get, "/api/v1/memories/\(memory.id)").status == .notFound)
            #expect(try await api.send(.delete, "/api/v1/memories/\(memory.id)").status == .notFound)
            #expect(try await api.send(.get, "/api/v1/memories/not-a-uuid").status == .notFound)
        }
    }

    @Test func listPagesNewestFirstWithoutGapsOrRepeats() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            var ids: [String] = []
            for index in 0..<7 {
                let memory = try await api.call(
                    .post, "/api/v1/memories", json: #"{"text": "Distinct fact number \#(index) about topic \#(index * 7919)"}"#,
                    as: Memory.self)
                ids.append(memory.id)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let page = try await api.call(.get, "/api/v1/memories?limit=3\(query)", as: Page<Memory>.self)
                #expect(page.items.count <= 3)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == Array(ids.reversed()))
        }
    }

    /// The hash embedder is lexical (word unigrams and bigrams), so "slightly reworded" means
    /// sharing nearly every word: the test checks the cosine itself before relying on it.
    @Test func aSlightRewordingMergesADifferentFactDoesNot() async throws {
        let original = "My daughter Ana has her piano lesson every Tuesday afternoon at four at the music school near the old town square"
        let reworded =
            "my daughter Ana has her piano lesson every Tuesday afternoon at four at the music school near the old town square, remember"
        let different = "My son Tom has his football training every Thursday evening at six at the sports hall near the new train station"
        let embedder = HashEmbedder()
        func cosine(_ a: String, _ b: String) -> Double {
            zip(embedder.vector(for: a), embedder.vector(for: b)).reduce(0) { $0 + Double($1.0 * $1.1) }
        }
        try #require(cosine(original, reworded) >= MemorySettings.defaultDedupThreshold)
        try #require(cosine(original, different) < 0.8)

        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            let first = try await api.call(
                .post, "/api/v1/memories", json: #"{"text": "\#(original)", "confidence": 0.6}"#, as: Memory.self)
            let again = try await api.send(
                .post, "/api/v1/memories", json: #"{"text": "\#(reworded)", "confidence": 0.9, "metadata": {"seen": 2}}"#)
            #expect(again.status == .ok)
            let merged = try MemoryAPI.decode(Memory.self, from: again)
            #expect(merged.id == first.id && merged.deduplicated && merged.text == original)
            #expect(merged.confidence == 0.9 && merged.metadata == ["seen": 2] && merged.updatedAt > first.updatedAt)

            let other = try await api.send(.post, "/api/v1/memories", json: #"{"text": "\#(different)"}"#)
            #expect(other.status == .created)
            #expect(try MemoryAPI.decode(Memory.self, from: other).deduplicated == false)

            // Another user's identical memory is not a duplicate of this one.
            let stranger = try await api.as(MemoryTestApp.newUser()).send(.post, "/api/v1/memories", json: #"{"text": "\#(original)"}"#)
            #expect(stranger.status == .created)
            #expect(try await api.call(.get, "/api/v1/memories", as: Page<Memory>.self).items.count == 2)
        }
    }

    @Test func concurrentWritesOfTheSameFactStoreItOnce() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await api.send(.post, "/api/v1/memories", json: #"{"text": "I always fly with a window seat"}"#).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 200, 200, 200, 200, 200, 200, 201])
            #expect(try await api.call(.get, "/api/v1/memories", as: Page<Memory>.self).items.count == 1)
        }
    }

    @Test func searchRanksByFusionAndFiltersByCategory() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            for (text, category) in [
                ("I prefer dark roast coffee in the morning", "preference"), ("The office moved to Lyon", "work"),
                ("My favourite editor is vim", "tools"), ("Coffee after lunch keeps me awake", "health"),
            ] {
                _ = try await api.call(
                    .post, "/api/v1/memories", json: #"{"text": "\#(text)", "category": "\#(category)"}"#, as: Memory.self)
            }
            let hits = try await api.call(
                .post, "/api/v1/memories/search", json: #"{"query": "dark roast coffee", "limit": 3}"#, as: MemorySearchResponse.self)
            #expect(hits.results.count == 3)
            #expect(hits.results.first?.text == "I prefer dark roast coffee in the morning")
            #expect(hits.results.first!.score > 0.4 && hits.results.first!.score <= 1.0001)

            let health = try await api.call(
                .post, "/api/v1/memories/search", json: #"{"query": "coffee", "category": "health"}"#, as: MemorySearchResponse.self)
            #expect(health.results.map(\.text) == ["Coffee after lunch keeps me awake"])

            // Stop words or punctuation alone still answer (vector side only), never 500.
            for query in ["the and of", "???", "-coffee", #"\u0000\u0001"#, "we and -coffee"] {
                let response = try await api.send(.post, "/api/v1/memories/search", json: #"{"query": "\#(query)"}"#)
                #expect(response.status == .ok, "\(query)")
            }
        }
    }

    @Test func validationProblemsName400Fields() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            func fields(_ method: HTTPRequest.Method, _ path: String, _ json: String?) async throws -> [String] {
                let response = try await api.send(method, path, json: json)
                #expect(response.status == .badRequest, "\(method) \(path) \(json ?? "")")
                return try MemoryAPI.problem(response).errors?.map(\.field) ?? []
            }
            #expect(try await fields(.post, "/api/v1/memories", #"{"text": ""}"#) == ["text"])
            #expect(
                try await fields(.post, "/api/v1/memories", #"{"text": "x", "category": "Not Valid", "confidence": 2}"#) == [
                    "category", "confidence",
                ])
            #expect(try await fields(.post, "/api/v1/memories", #"{"category": "a"}"#) == ["text"])
            #expect(try await fields(.get, "/api/v1/memories?limit=0", nil) == ["limit"])
            #expect(try await fields(.get, "/api/v1/memories?cursor=bogus", nil) == ["cursor"])
            #expect(try await fields(.get, "/api/v1/memories?category=UPPER", nil) == ["category"])
            #expect(try await fields(.post, "/api/v1/memories/search", #"{"query": ""}"#) == ["query"])
            #expect(try await fields(.post, "/api/v1/memories/search", #"{"query": "x", "limit": 51}"#) == ["limit"])
            let memory = try await api.call(.post, "/api/v1/memories", json: #"{"text": "A fact"}"#, as: Memory.self)
            #expect(try await fields(.patch, "/api/v1/memories/\(memory.id)", #"{"text": null}"#) == ["text"])
            _ = try await api.call(.post, "/api/v1/memories", json: #"{"text": "Another fact entirely"}"#, as: Memory.self)
            let memoriesCursor = try await api.call(.get, "/api/v1/memories?limit=1", as: Page<Memory>.self).nextCursor
            #expect(try await fields(.get, "/api/v1/sessions?cursor=\(try #require(memoriesCursor))", nil) == ["cursor"])
            #expect(
                try await api.send(.post, "/api/v1/memories", json: "text=x", contentType: "text/plain").status == .unsupportedMediaType)
            #expect(try await api.send(.post, "/api/v1/memories", json: "{not json").status == .badRequest)
        }
    }
}

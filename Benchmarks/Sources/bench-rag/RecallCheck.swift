import ApexProtocol
import Embeddings
import Foundation
import Logging
import PostgresNIO
import Rag
import SemanticSearch
import ServiceKit

/// Recall@10 of the vector side against exact search, for the heavy user and one light user.
///
/// For each of `queries` queries made from the user's own chunks: the exact top 10 (every
/// vector of the user compared: `ORDER BY (embedding <=> q) + 0`, which no index can serve);
/// the HNSW path's top 10 — the service's own vector-mode statement and settings, forced onto
/// the index whatever the tenant's size — at each `ef_search` of the sweep; and what the running
/// service answers in `vector` mode (its real plan: exact for tenants under
/// SEARCH_EXACT_MAX_CHUNKS). Recall = |found ∩ exact| / 10, averaged; mean latency is one
/// connection, one query at a time. Only users in the HNSW graph get the sweep: the others'
/// chunks are not in the (partial) index at all.
struct RecallCheck {
    let database: Database
    let client: ServiceClient
    let corpus: SyntheticCorpus
    let settings: RagSettings
    let queries: Int
    let efValues: [Int]
    let lightUser: Int
    let logger: Logger
    let embedder = HashEmbedder()

    func run() async throws {
        for user in [0, lightUser] {
            let userID = SyntheticCorpus.userID(user)
            var random = SplitMix64.seeded(21, UInt64(user))
            let texts = (0..<queries).map { _ in corpus.query(user: user, &random) }
            var exactTop: [[String]] = []
            var exactMillis: [Double] = []
            for text in texts {
                let started = ContinuousClock.now
                exactTop.append(try await exact(text, userID: userID))
                exactMillis.append((ContinuousClock.now - started) / .milliseconds(1))
            }
            let exactStats = LatencyStats(samplesMilliseconds: exactMillis, elapsedSeconds: 1)
            print("recall \(userID): exact scan of the user's rows: mean \(fmt(exactStats.mean, 2)) ms, p95 \(fmt(exactStats.p95, 2)) ms")
            for ef in try await isInGraph(userID) ? efValues : [] {
                var tuned = settings
                tuned.efSearch = ef
                var recalls: [Double] = []
                var millis: [Double] = []
                var short = 0
                for (index, text) in texts.enumerated() {
                    let started = ContinuousClock.now
                    let found = try await hnsw(text, userID: userID, settings: tuned)
                    millis.append((ContinuousClock.now - started) / .milliseconds(1))
                    if found.count < 10 { short += 1 }
                    recalls.append(Double(Set(found).intersection(exactTop[index]).count) / 10)
                }
                let stats = LatencyStats(samplesMilliseconds: millis, elapsedSeconds: 1)
                print(
                    "recall \(userID): HNSW ef_search \(ef): recall@10 \(fmt(recalls.reduce(0, +) / Double(recalls.count), 3)) "
                        + "(min \(fmt(recalls.min() ?? 0, 1)), queries with < 10 rows: \(short)); statement mean \(fmt(stats.mean, 2)) ms, p95 \(fmt(stats.p95, 2)) ms"
                )
            }
            var serviceRecalls: [Double] = []
            for (index, text) in texts.enumerated() {
                let response: SearchResponse = try await client.call(
                    .post, "/api/v1/search", body: SearchRequest(query: text, limit: 10, mode: .vector), as: userID)
                serviceRecalls.append(Double(Set(response.results.map(\.chunkID)).intersection(exactTop[index]).count) / 10)
            }
            print(
                "recall \(userID): service vector mode (its own plan, ef_search \(settings.efSearch)): recall@10 \(fmt(serviceRecalls.reduce(0, +) / Double(serviceRecalls.count), 3))"
            )
        }
    }

    private func isInGraph(_ userID: String) async throws -> Bool {
        let inGraph = try await database.withTransaction(.user(userID)) { [logger] connection in
            let rows = try await connection.query(
                "SELECT count(*)::int8 FROM rag.graph_tenants WHERE user_id = \(userID) AND state = 'ready'", logger: logger)
            for try await count in rows.decode(Int64.self) { return count > 0 }
            return false
        }
        if !inGraph { print("recall \(userID): not in the HNSW graph (searched exactly): no ef_search sweep") }
        return inGraph
    }

    private func exact(_ text: String, userID: String) async throws -> [String] {
        let vector = PGVector.literal(embedder.vector(for: text))
        return try await database.withTransaction(.user(userID)) { [logger] connection in
            let rows = try await connection.query(
                """
                SELECT id FROM rag.document_chunks WHERE user_id = \(userID)
                ORDER BY (embedding <=> \(vector)::public.vector) + 0, id LIMIT 10
                """,
                logger: logger)
            var ids: [String] = []
            for try await id in rows.decode(UUID.self) { ids.append(id.uuidString.lowercased()) }
            return ids
        }
    }

    private func hnsw(_ text: String, userID: String, settings: RagSettings) async throws -> [String] {
        let transaction = RagBenchmarkSupport.searchTransaction(
            query: text, vector: embedder.vector(for: text), mode: .vector, limit: 10, userID: userID, tenantChunks: .max,
            settings: settings)
        let extra = transaction.settings.filter { !$0.0.hasPrefix("apex.") }
        return try await database.withTransaction(.user(userID), settings: extra) { [logger] connection in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: transaction.statement), logger: logger)
            var ids: [String] = []
            for try await row in rows {
                let id = try row.decode((UUID, UUID, String, Int, String, Double, Int64?, Int64?).self).0
                ids.append(id.uuidString.lowercased())
            }
            return ids
        }
    }
}

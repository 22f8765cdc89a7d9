import Embeddings
import Foundation
import Logging
import Memory
import PostgresNIO
import SemanticSearch
import ServiceKit

/// Fills `memory.memories` with the benchmark corpus (system scope, bulk `unnest` inserts of
/// 1,000 rows), then builds the HNSW index once over all rows (faster than growing it row by
/// row) and analyses the table. Skipped when the corpus is already there.
struct CorpusLoader {
    let database: Database
    let corpus: BenchCorpus
    let rows: Int
    let logger: Logger

    func load() async throws {
        try await MemorySchema.migrations().run(on: database, logger: logger)
        let embedder = HashEmbedder()
        try await VectorColumn(schema: MemorySchema.name, table: "memories", model: embedder.model).prepare(on: database, logger: logger)
        let existing = try await database.withTransaction(.system) { connection in
            var count = 0
            let rows = try await connection.query(
                "SELECT count(*)::int8 FROM memory.memories WHERE user_id LIKE 'bench-user-%'", logger: logger)
            for try await value in rows.decode(Int.self) { count = value }
            return count
        }
        if existing == rows {
            say("corpus: \(rows) memories already loaded")
            return
        }
        let start = ContinuousClock.now
        _ = try await database.withTransaction(.system) { connection in
            try await connection.query("DELETE FROM memory.memories WHERE user_id LIKE 'bench-user-%'", logger: logger)
            try await connection.query("DROP INDEX IF EXISTS memory.memories_embedding_hnsw_idx", logger: logger)
        }
        var random = SplitMix64(seed: 42)
        let now = Date()
        let batch = 1000
        for offset in stride(from: 0, to: rows, by: batch) {
            let count = min(batch, rows - offset)
            var ids: [UUID] = [], users: [String] = [], texts: [String] = [], categories: [String] = []
            var vectors: [String] = [], created: [Date] = []
            for row in offset..<(offset + count) {
                let text = corpus.memoryText(&random)
                ids.append(UUIDv7.generate())
                users.append(BenchCorpus.userID(BenchCorpus.user(forRow: row, of: rows)))
                texts.append(text)
                categories.append(BenchCorpus.categories[Int(random.next() % UInt64(BenchCorpus.categories.count))])
                vectors.append(PGVector.literal(embedder.vector(for: text)))
                created.append(now.addingTimeInterval(-random.unit() * 365 * 86_400))
            }
            let query: PostgresQuery = """
                INSERT INTO memory.memories (id, user_id, text, category, embedding, created_at, updated_at)
                SELECT id, user_id, text, category, embedding::vector, created_at, created_at
                FROM unnest(\(ids)::uuid[], \(users)::text[], \(texts)::text[], \(categories)::text[], \(vectors)::text[],
                            \(created)::timestamptz[]) AS r(id, user_id, text, category, embedding, created_at)
                """
            _ = try await database.withTransaction(.system) { connection in
                try await connection.query(query, logger: logger)
            }
        }
        let loaded = ContinuousClock.now
        say("corpus: inserted \(rows) memories in \(loaded - start)")
        try await database.withConnection(timeout: .seconds(60)) { connection in
            try await connection.query("SET maintenance_work_mem = '512MB'", logger: logger)
            try await connection.query(
                """
                CREATE INDEX IF NOT EXISTS memories_embedding_hnsw_idx ON memory.memories
                USING hnsw (embedding public.vector_cosine_ops) WITH (m = 16, ef_construction = 64)
                """, logger: logger)
            try await connection.query("ANALYZE memory.memories", logger: logger)
        }
        say("corpus: HNSW index and ANALYZE in \(ContinuousClock.now - loaded)")
    }
}

import Embeddings
import Foundation
import Logging
import PostgresNIO
import SemanticSearch
import ServiceKit

/// Loads the synthetic corpus straight into `rag.documents` / `rag.document_chunks` with the
/// store's own bulk-insert SQL (`unnest` of arrays; one transaction per batch of documents,
/// scoped to the user as the service does), after dropping the HNSW and GIN indexes; then builds
/// them with the definitions the service and its migration use, and runs VACUUM ANALYZE.
/// Users with more than `SEARCH_EXACT_MAX_CHUNKS` chunks are loaded into the HNSW graph
/// (`in_graph`, and `ready` in `rag.graph_tenants`), as the service's promoter would leave them;
/// the others are outside it, searched exactly.
///
/// apex-rag must have started once against the database (migrations, embedding column).
struct CorpusLoader {
    let database: Database
    let corpus: SyntheticCorpus
    let embedder = HashEmbedder()
    let concurrency: Int
    let reset: Bool
    /// `SEARCH_EXACT_MAX_CHUNKS`: users above it go into the graph.
    let exactSearchMaxChunks: Int
    let logger: Logger

    static let hnswIndex = "document_chunks_embedding_graph_idx"
    static let hnswDefinition =
        "CREATE INDEX document_chunks_embedding_graph_idx ON rag.document_chunks USING hnsw (embedding public.vector_cosine_ops) WITH (m = 16, ef_construction = 64) WHERE in_graph"
    static let ginIndex = "document_chunks_content_tsv_idx"
    static let ginDefinition = "CREATE INDEX document_chunks_content_tsv_idx ON rag.document_chunks USING gin (content_tsv)"

    /// One transaction's worth: about 1,000 chunks of one user.
    struct Batch: Sendable {
        let user: Int
        let documents: [SyntheticCorpus.DocumentPlan]
    }

    func load() async throws {
        try await prepare()
        var batches: [Batch] = []
        var graphUsers: [String] = []
        for user in 0..<SyntheticCorpus.users {
            if corpus.documents(user: user).reduce(0, { $0 + $1.chunkCount }) > exactSearchMaxChunks {
                graphUsers.append(SyntheticCorpus.userID(user))
            }
            var current: [SyntheticCorpus.DocumentPlan] = []
            var chunks = 0
            for plan in corpus.documents(user: user) {
                current.append(plan)
                chunks += plan.chunkCount
                if chunks >= 1_000 {
                    batches.append(Batch(user: user, documents: current))
                    current = []
                    chunks = 0
                }
            }
            if !current.isEmpty { batches.append(Batch(user: user, documents: current)) }
        }
        let inGraph = Set(graphUsers)
        let started = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            var total = 0
            for _ in 0..<min(concurrency, batches.count) {
                let batch = batches[next]
                next += 1
                group.addTask { try await insert(batch, inGraph: inGraph.contains(SyntheticCorpus.userID(batch.user))) }
            }
            while let inserted = try await group.next() {
                total += inserted
                if next < batches.count {
                    let batch = batches[next]
                    next += 1
                    group.addTask { try await insert(batch, inGraph: inGraph.contains(SyntheticCorpus.userID(batch.user))) }
                }
            }
            return total
        }
        let loaded = ContinuousClock.now - started
        print(
            "load: \(total) chunks in \(batches.count) transactions, \(fmt(seconds(loaded), 2)) s (\(fmt(Double(total) / seconds(loaded), 0)) chunks/s, generation + embedding included, no HNSW/GIN)"
        )
        for userID in graphUsers {
            try await database.withTransaction(.user(userID)) { [logger] connection in
                try await connection.query("INSERT INTO rag.graph_tenants (user_id, state) VALUES (\(userID), 'ready')", logger: logger)
            }
        }
        print(
            "load: in the HNSW graph (more than \(exactSearchMaxChunks) chunks): \(graphUsers.isEmpty ? "nobody" : graphUsers.joined(separator: ", "))"
        )
        try await buildIndexes()
        try await report()
    }

    private func prepare() async throws {
        try await database.withConnection { connection in
            let column = try await BenchDatabase.strings(
                "SELECT count(*)::text FROM pg_attribute WHERE attrelid = 'rag.document_chunks'::regclass AND attname = 'embedding'",
                on: connection, logger: logger)
            guard column.first == "1" else { throw BenchError("rag.document_chunks has no embedding column: start apex-rag once first") }
            if reset {
                try await connection.query("TRUNCATE rag.document_chunks, rag.documents, rag.graph_tenants", logger: logger)
            } else {
                let rows = try await BenchDatabase.strings("SELECT count(*)::text FROM rag.document_chunks", on: connection, logger: logger)
                guard rows.first == "0" else { throw BenchError("rag.document_chunks is not empty: pass --reset to truncate it") }
            }
            try await connection.query(PostgresQuery(unsafeSQL: "DROP INDEX IF EXISTS rag.\(Self.hnswIndex)"), logger: logger)
            try await connection.query("DROP INDEX IF EXISTS rag.document_chunks_embedding_hnsw_idx", logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "DROP INDEX IF EXISTS rag.\(Self.ginIndex)"), logger: logger)
        }
    }

    private func insert(_ batch: Batch, inGraph: Bool) async throws -> Int {
        let userID = SyntheticCorpus.userID(batch.user)
        var documentIDs: [UUID] = []
        var filenames: [String] = []
        var hashes: [String] = []
        var totals: [Int32] = []
        var chunkIDs: [UUID] = []
        var chunkDocuments: [UUID] = []
        var indexes: [Int32] = []
        var contents: [String] = []
        var vectors: [String] = []
        for plan in batch.documents {
            let documentID = UUIDv7.generate()
            documentIDs.append(documentID)
            filenames.append("bench-\(batch.user)-\(plan.number).txt")
            hashes.append(Self.pseudoHash(user: batch.user, document: plan.number))
            totals.append(Int32(plan.chunkCount))
            for chunk in 0..<plan.chunkCount {
                let text = corpus.chunkText(user: batch.user, document: plan.number, chunk: chunk)
                chunkIDs.append(UUIDv7.generate())
                chunkDocuments.append(documentID)
                indexes.append(Int32(chunk))
                contents.append(text)
                vectors.append(PGVector.literal(embedder.vector(for: text)))
            }
        }
        try await database.withTransaction(.user(userID)) {
            [logger, documentIDs, filenames, hashes, totals, chunkIDs, chunkDocuments, indexes, contents, vectors] connection in
            try await connection.query(
                """
                INSERT INTO rag.documents (id, user_id, filename, doc_type, file_hash, total_chunks, metadata)
                SELECT t.id, \(userID), t.filename, 'text', t.hash, t.total, '{}'::jsonb
                FROM unnest(\(documentIDs)::uuid[], \(filenames)::text[], \(hashes)::text[], \(totals)::int4[]) AS t(id, filename, hash, total)
                """,
                logger: logger)
            try await connection.query(
                """
                INSERT INTO rag.document_chunks (id, document_id, user_id, chunk_index, content, embedding, in_graph)
                SELECT t.id, t.document_id, \(userID), t.idx, t.content, t.embedding::public.vector, \(inGraph)
                FROM unnest(\(chunkIDs)::uuid[], \(chunkDocuments)::uuid[], \(indexes)::int4[], \(contents)::text[], \(vectors)::text[])
                    AS t(id, document_id, idx, content, embedding)
                """,
                logger: logger)
        }
        return contents.count
    }

    /// 64 hex digits, unique per (user, document): the dedup key's shape. (The content's real
    /// sha-256 matters only for re-uploads, which the benchmark does not make.)
    static func pseudoHash(user: Int, document: Int) -> String {
        var random = SplitMix64.seeded(9, UInt64(user), UInt64(document))
        return (0..<4).map { _ in
            let hex = String(random.next(), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    private func buildIndexes() async throws {
        try await database.withConnection { connection in
            // Session settings for the builds only (this connection is closed with the pool).
            try await connection.query("SET maintenance_work_mem = '2GB'", logger: logger)
            try await connection.query("SET max_parallel_maintenance_workers = 2", logger: logger)
            var started = ContinuousClock.now
            try await connection.query(PostgresQuery(unsafeSQL: Self.ginDefinition), logger: logger)
            print("load: GIN index built in \(fmt(seconds(ContinuousClock.now - started), 2)) s")
            started = ContinuousClock.now
            try await connection.query(PostgresQuery(unsafeSQL: Self.hnswDefinition), logger: logger)
            print("load: HNSW index (m 16, ef_construction 64) built in \(fmt(seconds(ContinuousClock.now - started), 2)) s")
            started = ContinuousClock.now
            try await connection.query("VACUUM ANALYZE rag.documents", logger: logger)
            try await connection.query("VACUUM ANALYZE rag.document_chunks", logger: logger)
            print("load: VACUUM ANALYZE in \(fmt(seconds(ContinuousClock.now - started), 2)) s")
        }
    }

    private func report() async throws {
        try await database.withTransaction(.system) { connection in
            let lines = try await BenchDatabase.strings(
                """
                SELECT format('chunks %s, documents %s, users %s; content mean %s chars, %s words; heavy user %s chunks, light users %s–%s',
                    (SELECT count(*) FROM rag.document_chunks), (SELECT count(*) FROM rag.documents),
                    (SELECT count(DISTINCT user_id) FROM rag.documents),
                    (SELECT round(avg(length(content)), 1) FROM rag.document_chunks),
                    (SELECT round(avg(array_length(regexp_split_to_array(content, '\\s+'), 1)), 1) FROM rag.document_chunks),
                    (SELECT max(n) FROM (SELECT count(*) n FROM rag.document_chunks GROUP BY user_id) s),
                    (SELECT min(n) FROM (SELECT count(*) n FROM rag.document_chunks GROUP BY user_id) s),
                    (SELECT max(n) FILTER (WHERE n < 40000) FROM (SELECT count(*) n FROM rag.document_chunks GROUP BY user_id) s))
                UNION ALL
                SELECT format('size: table+toast+indexes %s; heap %s; toast %s; HNSW %s; GIN %s; user btree %s; pkey %s',
                    pg_size_pretty(pg_total_relation_size('rag.document_chunks')),
                    pg_size_pretty(pg_relation_size('rag.document_chunks')),
                    pg_size_pretty(coalesce(pg_total_relation_size(nullif(reltoastrelid, 0)), 0)),
                    pg_size_pretty(pg_relation_size('rag.document_chunks_embedding_graph_idx')),
                    pg_size_pretty(pg_relation_size('rag.document_chunks_content_tsv_idx')),
                    pg_size_pretty(pg_relation_size('rag.document_chunks_user_idx')),
                    pg_size_pretty(pg_relation_size('rag.document_chunks_pkey')))
                FROM pg_class WHERE oid = 'rag.document_chunks'::regclass
                """,
                on: connection, logger: logger)
            for line in lines { print("load: \(line)") }
        }
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

import ApexProtocol
import Foundation
import PostgresNIO
import SemanticSearch
import ServiceKit

extension PostgresDocumentStore {
    /// Hybrid, vector or keyword search in one SQL statement (plus the transaction's settings).
    ///
    /// The vector side is exact for small tenants, for tenants not yet in the graph and for
    /// `document_ids` filters (the distance is wrapped so the planner cannot pick the HNSW index),
    /// and HNSW with iterative scan for large tenants in the graph (`AND in_graph` lets the
    /// planner use the partial index; every chunk of such a tenant is in it). The keyword side ranks `websearch_to_tsquery` matches with `ts_rank_cd` through
    /// the GIN index, at most `KEYWORD_MATCH_LIMIT` of them. Each side is over-fetched, then
    /// fused by reciprocal rank (k = 60) in SQL.
    /// The SQL text is built only from fixed fragments; every value is a bind parameter.
    func search(_ search: ChunkSearch, userID: String) async throws -> [SearchHit] {
        let useVector = search.mode != .keyword && search.vector != nil
        let useKeyword = search.mode != .vector && search.keywords.isSearchable
        guard useVector || useKeyword else { return [] }

        let tuning = self.tuning
        let tenantSizes = self.tenantSizes
        let knownSize = tenantSizes.size(for: userID)
        let exactEnough =
            search.documentIDs != nil || (knownSize.map { !$0.searchesGraph(exactSearchMaxChunks: tuning.exactSearchMaxChunks) } ?? false)
        let iterative = iterativeScan.load(ordering: .relaxed)
        let settings =
            useVector && !exactEnough ? Self.indexScanSettings(tuning: tuning, candidates: search.candidates, iterative: iterative) : []
        return try await database.withTransaction(.user(userID), settings: settings) { [logger] connection in
            var exact = exactEnough
            if useVector, search.documentIDs == nil, knownSize == nil {
                // First search of this tenant in a while: count its chunks (an index-only scan)
                // and see whether it is in the graph.
                let rows = try await connection.query(
                    """
                    SELECT count(*)::int8,
                           EXISTS (SELECT 1 FROM rag.graph_tenants WHERE user_id = \(userID) AND state = 'ready')
                    FROM rag.document_chunks WHERE user_id = \(userID)
                    """,
                    logger: logger)
                var size = TenantSize(chunks: 0, inGraph: false)
                for try await (count, inGraph) in rows.decode((Int64, Bool).self) {
                    size = TenantSize(chunks: Int(count), inGraph: inGraph)
                }
                tenantSizes.record(size, for: userID)
                exact = !size.searchesGraph(exactSearchMaxChunks: tuning.exactSearchMaxChunks)
                if !exact {
                    // This transaction started without HNSW settings: apply them now.
                    for (name, value) in Self.indexScanSettings(tuning: tuning, candidates: search.candidates, iterative: iterative) {
                        try await connection.query("SELECT set_config(\(name), \(value), true)", logger: logger)
                    }
                }
            }
            let statement = try Self.searchStatement(
                search, userID: userID, useVector: useVector, useKeyword: useKeyword, exact: exact,
                keywordMatchLimit: tuning.keywordMatchLimit)
            let rows = try await connection.query(statement, logger: logger)
            var hits: [SearchHit] = []
            for try await row in rows.decode((UUID, UUID, String, Int, String, Double, Int64?, Int64?).self) {
                hits.append(
                    SearchHit(
                        chunkID: row.0.uuidString.lowercased(), documentID: row.1.uuidString.lowercased(), filename: row.2,
                        chunkIndex: row.3, content: row.4, score: row.5,
                        vectorRank: row.6.map(Int.init), keywordRank: row.7.map(Int.init)))
            }
            return hits
        }
    }

    /// The transaction-local settings of a search that walks the HNSW index.
    static func indexScanSettings(tuning: Tuning, candidates: Int, iterative: Bool) -> [(String, String)] {
        var settings = [("hnsw.ef_search", String(max(tuning.efSearch, candidates)))]
        if iterative { settings.append(("hnsw.iterative_scan", "relaxed_order")) }
        return settings
    }

    static func searchStatement(
        _ search: ChunkSearch, userID: String, useVector: Bool, useKeyword: Bool, exact: Bool, keywordMatchLimit: Int
    ) throws -> PostgresQuery {
        var binds = PostgresBindings()
        let sql = searchSQL(
            search, userID: userID, useVector: useVector, useKeyword: useKeyword, exact: exact, keywordMatchLimit: keywordMatchLimit
        ) { value in
            switch value {
            case .text(let text): binds.append(text)
            case .integer(let number): binds.append(number)
            case .uuids(let uuids): binds.append(uuids)
            }
            return "$\(binds.count)"
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// A value the search statement takes: bound as a parameter by the store, written as a
    /// literal by the benchmark's pgbench scripts (see ``RagBenchmarkSupport``).
    enum SearchValue {
        case text(String)
        case integer(Int)
        case uuids([UUID])
    }

    /// The search statement's text; `parameter` turns each value into its placeholder (or literal).
    static func searchSQL(
        _ search: ChunkSearch, userID: String, useVector: Bool, useKeyword: Bool, exact: Bool, keywordMatchLimit: Int,
        parameter: (SearchValue) throws -> String
    ) rethrows -> String {
        let user = try parameter(.text(userID))
        let candidates = try parameter(.integer(search.candidates))
        let documentFilter: String
        if let ids = search.documentIDs {
            let uuids = ids.compactMap { UUID(uuidString: $0) }
            documentFilter = " AND document_id = ANY(\(try parameter(.uuids(uuids)))::uuid[])"
        } else {
            documentFilter = ""
        }

        var ctes: [String] = []
        if useVector, let vector = search.vector {
            let queryVector = try parameter(.text(PGVector.literal(vector)))
            // `+ 0` hides the distance from the planner's index matching: an exact scan.
            let order = exact ? "(embedding <=> \(queryVector)::public.vector) + 0" : "embedding <=> \(queryVector)::public.vector"
            let graphFilter = exact ? "" : " AND in_graph"
            ctes.append(
                """
                vec AS MATERIALIZED (
                    SELECT id, distance, row_number() OVER (ORDER BY distance, id) AS rank FROM (
                        SELECT id, embedding <=> \(queryVector)::public.vector AS distance
                        FROM rag.document_chunks
                        WHERE user_id = \(user)\(documentFilter)\(graphFilter)
                        ORDER BY \(order)
                        LIMIT \(candidates)
                    ) candidates
                )
                """)
        }
        if useKeyword {
            let text = try parameter(.text(search.keywords.text))
            let matchLimit = try parameter(.integer(keywordMatchLimit))
            // At most `matchLimit` matches are ranked (the first the index yields): ranking every
            // match of a common-word query cost 140–230 ms on a 50,000-chunk tenant.
            ctes.append(
                """
                kw AS MATERIALIZED (
                    SELECT id, score, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
                        SELECT m.id, ts_rank_cd(m.content_tsv, m.query) AS score
                        FROM (
                            SELECT c.id, c.content_tsv, q.query
                            FROM rag.document_chunks c, websearch_to_tsquery('english', \(text)) AS q(query)
                            WHERE c.user_id = \(user) AND c.content_tsv @@ q.query\(documentFilter.replacingOccurrences(of: "document_id", with: "c.document_id"))
                            LIMIT \(matchLimit)
                        ) m
                        ORDER BY score DESC, m.id
                        LIMIT \(candidates)
                    ) candidates
                )
                """)
        }
        let fused: String
        switch (search.mode, useVector, useKeyword) {
        case (.vector, _, _):
            fused = "SELECT id, rank AS vector_rank, NULL::int8 AS keyword_rank, 1 - distance AS score FROM vec"
        case (.keyword, _, _):
            fused = "SELECT id, NULL::int8 AS vector_rank, rank AS keyword_rank, score FROM kw"
        case (.hybrid, true, true):
            fused = """
                SELECT coalesce(v.id, k.id) AS id, v.rank AS vector_rank, k.rank AS keyword_rank,
                       coalesce(1.0 / (60 + v.rank), 0) + coalesce(1.0 / (60 + k.rank), 0) AS score
                FROM vec v FULL OUTER JOIN kw k ON k.id = v.id
                """
        case (.hybrid, true, false):
            fused = "SELECT id, rank AS vector_rank, NULL::int8 AS keyword_rank, 1.0 / (60 + rank) AS score FROM vec"
        case (.hybrid, false, _):
            fused = "SELECT id, NULL::int8 AS vector_rank, rank AS keyword_rank, 1.0 / (60 + rank) AS score FROM kw"
        }
        let limit = try parameter(.integer(search.limit))
        // The fused list is cut to `limit` before the rows are fetched: the planner then looks up
        // those few ids by primary key. Joining the whole fused list instead made it hash-join
        // every chunk of the tenant (measured: 63 ms of a 122 ms search for the 50,000-chunk
        // tenant; see Benchmarks/Rag/README.md).
        return """
            WITH \(ctes.joined(separator: ",\n")),
            fused AS MATERIALIZED (
                SELECT id, vector_rank, keyword_rank, score FROM (\(fused)) ranked
                ORDER BY score DESC, least(coalesce(vector_rank, 1000000), coalesce(keyword_rank, 1000000)), id
                LIMIT \(limit)
            )
            SELECT c.id, c.document_id, d.filename, c.chunk_index, c.content, f.score::float8,
                   f.vector_rank::int8, f.keyword_rank::int8
            FROM fused f
            JOIN rag.document_chunks c ON c.id = f.id AND c.user_id = \(user)
            JOIN rag.documents d ON d.id = c.document_id AND d.user_id = \(user)
            ORDER BY f.score DESC, least(coalesce(f.vector_rank, 1000000), coalesce(f.keyword_rank, 1000000)), c.id
            """
    }
}

import ApexProtocol
import Foundation
import PostgresNIO
import SemanticSearch
import ServiceKit

extension PostgresDocumentStore {
    /// Hybrid, vector or keyword search in one SQL statement (plus the transaction's settings).
    ///
    /// The vector side is exact for small tenants and for `document_ids` filters (the distance is
    /// wrapped so the planner cannot pick the HNSW index), and HNSW with iterative scan for large
    /// tenants. The keyword side ranks `websearch_to_tsquery` matches with `ts_rank_cd` through
    /// the GIN index. Each side is over-fetched, then fused by reciprocal rank (k = 60) in SQL.
    /// The SQL text is built only from fixed fragments; every value is a bind parameter.
    func search(_ search: ChunkSearch, userID: String) async throws -> [SearchHit] {
        let useVector = search.mode != .keyword && search.vector != nil
        let useKeyword = search.mode != .vector && search.keywords.isSearchable
        guard useVector || useKeyword else { return [] }

        let tuning = self.tuning
        let tenantSizes = self.tenantSizes
        let knownSize = tenantSizes.count(for: userID)
        let exactEnough = search.documentIDs != nil || (knownSize.map { $0 <= tuning.exactSearchMaxChunks } ?? false)
        var settings: [(String, String)] = []
        if useVector, !exactEnough {
            settings.append(("hnsw.ef_search", String(max(tuning.efSearch, search.candidates))))
            if iterativeScan.load(ordering: .relaxed) { settings.append(("hnsw.iterative_scan", "relaxed_order")) }
        }
        return try await database.withTransaction(.user(userID), settings: settings) { [logger] connection in
            var exact = exactEnough
            if useVector, search.documentIDs == nil, knownSize == nil {
                // First search of this tenant in a while: count its chunks (an index-only scan).
                let rows = try await connection.query(
                    "SELECT count(*)::int8 FROM rag.document_chunks WHERE user_id = \(userID)", logger: logger)
                var size = 0
                for try await count in rows.decode(Int64.self) { size = Int(count) }
                tenantSizes.record(size, for: userID)
                exact = size <= tuning.exactSearchMaxChunks
                if !exact {
                    // This transaction started without HNSW settings: apply them now.
                    try await connection.query(
                        "SELECT set_config('hnsw.ef_search', \(String(max(tuning.efSearch, search.candidates))), true)",
                        logger: logger)
                    if self.iterativeScan.load(ordering: .relaxed) {
                        try await connection.query("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)", logger: logger)
                    }
                }
            }
            let statement = try Self.searchStatement(search, userID: userID, useVector: useVector, useKeyword: useKeyword, exact: exact)
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

    static func searchStatement(_ search: ChunkSearch, userID: String, useVector: Bool, useKeyword: Bool, exact: Bool) throws -> PostgresQuery {
        var binds = PostgresBindings()
        func parameter(_ value: some PostgresEncodable & Sendable) throws -> String {
            try binds.append(value)
            return "$\(binds.count)"
        }
        let user = try parameter(userID)
        let candidates = try parameter(search.candidates)
        let documentFilter: String
        if let ids = search.documentIDs {
            let uuids = ids.compactMap { UUID(uuidString: $0) }
            documentFilter = " AND document_id = ANY(\(try parameter(uuids))::uuid[])"
        } else {
            documentFilter = ""
        }

        var ctes: [String] = []
        if useVector, let vector = search.vector {
            let queryVector = try parameter(PGVector.literal(vector))
            // `+ 0` hides the distance from the planner's index matching: an exact scan.
            let order = exact ? "(embedding <=> \(queryVector)::public.vector) + 0" : "embedding <=> \(queryVector)::public.vector"
            ctes.append(
                """
                vec AS MATERIALIZED (
                    SELECT id, distance, row_number() OVER (ORDER BY distance, id) AS rank FROM (
                        SELECT id, embedding <=> \(queryVector)::public.vector AS distance
                        FROM rag.document_chunks
                        WHERE user_id = \(user)\(documentFilter)
                        ORDER BY \(order)
                        LIMIT \(candidates)
                    ) candidates
                )
                """)
        }
        if useKeyword {
            let text = try parameter(search.keywords.text)
            ctes.append(
                """
                kw AS MATERIALIZED (
                    SELECT id, score, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
                        SELECT c.id, ts_rank_cd(c.content_tsv, q.query) AS score
                        FROM rag.document_chunks c, websearch_to_tsquery('english', \(text)) AS q(query)
                        WHERE c.user_id = \(user) AND c.content_tsv @@ q.query\(documentFilter.replacingOccurrences(of: "document_id", with: "c.document_id"))
                        ORDER BY score DESC, c.id
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
        let limit = try parameter(search.limit)
        let sql = """
            WITH \(ctes.joined(separator: ",\n")),
            fused AS (\(fused))
            SELECT c.id, c.document_id, d.filename, c.chunk_index, c.content, f.score::float8,
                   f.vector_rank::int8, f.keyword_rank::int8
            FROM fused f
            JOIN rag.document_chunks c ON c.id = f.id AND c.user_id = \(user)
            JOIN rag.documents d ON d.id = c.document_id AND d.user_id = \(user)
            ORDER BY f.score DESC, least(coalesce(f.vector_rank, 1000000), coalesce(f.keyword_rank, 1000000)), c.id
            LIMIT \(limit)
            """
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}

import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import SemanticSearch

/// Memory search in one statement: the user's nearest memories by cosine distance (HNSW) and
/// their best keyword matches (`websearch_to_tsquery` over the GIN-indexed `text_tsv`), each
/// over-fetched to `candidates` rows, fused by reciprocal rank fusion with exactly the
/// arithmetic and tie-breaks of `ReciprocalRankFusion` (k = 60; score, then the better rank,
/// then the id); only the best `limit` ids are then read back, each by its primary key (the
/// LATERAL join keeps the planner from scanning all of the user's rows to join a few dozen).
///
/// Both sides filter by `user_id` (and the category) inside their scans; the HNSW scan is
/// iterative (`relaxed_order`), so a user with few memories among many still gets
/// `candidates` vector rows. The keyword side ranks at most `KEYWORD_MATCH_LIMIT` matches (the
/// first the index yields), so a query of common words costs no more than a rare one. A query
/// with nothing to match on the keyword side
/// (`KeywordQuery.isSearchable` false) runs the vector side alone.
enum MemorySearchSQL {
    /// Per-transaction HNSW settings, set with the tenant scope in one statement
    /// (`set_config(…, true)` is `SET LOCAL`: a pooled connection never keeps them, so every
    /// search sets them again). `ef_search` is at least the candidates wanted.
    static func settings(candidates: Int) -> [(String, String)] {
        [("hnsw.ef_search", String(max(candidates, 40))), ("hnsw.iterative_scan", "relaxed_order")]
    }

    typealias Columns = (UUID, String, String, String, Double, Date, Date, String, Int64, Double, Double, Int?, Int?)

    static func run(
        _ search: MemorySearch, userID: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> [RankedMemory] {
        let rows = try await connection.query(query(search, userID: userID), logger: logger)
        var hits: [RankedMemory] = []
        for try await row in rows.decode(Columns.self) {
            let memory = try MemoryRow.memory((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8))
            hits.append(RankedMemory(memory: memory, similarity: row.9, fusedScore: row.10, vectorRank: row.11, keywordRank: row.12))
        }
        return hits
    }

    /// The statement (also what the benchmark hands to pgbench). Binds: $1 the query vector,
    /// $2 the user, $3 the category or NULL, $4 candidates per side, $5 the limit, and $6 the
    /// keyword query when the keyword side runs.
    static func query(_ search: MemorySearch, userID: String) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(PGVector.literal(search.embedding))
        binds.append(userID)
        if let category = search.category { binds.append(category) } else { binds.appendNull() }
        binds.append(search.candidates)
        binds.append(search.limit)
        if search.keywords.isSearchable { binds.append(search.keywords.text) }
        return PostgresQuery(
            unsafeSQL: sql(keywordSide: search.keywords.isSearchable, keywordMatchLimit: search.keywordMatchLimit), binds: binds)
    }

    /// `keywordMatchLimit` is a setting, not user input: written into the text as a number.
    static func sql(keywordSide: Bool, keywordMatchLimit: Int) -> String {
        let k = ReciprocalRankFusion.defaultK
        let keyword =
            keywordSide
            ? """
            SELECT id, row_number() OVER (ORDER BY relevance DESC, id) AS rank
                FROM (
                    SELECT hit.id, ts_rank_cd(hit.text_tsv, hit.query) AS relevance
                    FROM (
                        SELECT m.id, m.text_tsv, q.query
                        FROM memory.memories AS m, websearch_to_tsquery('english', $6) AS q(query)
                        WHERE m.user_id = $2 AND ($3::text IS NULL OR m.category = $3) AND m.text_tsv @@ q.query
                        LIMIT \(max(1, keywordMatchLimit))
                    ) AS hit
                    ORDER BY relevance DESC, hit.id
                    LIMIT $4
                ) AS matched
            """
            : "SELECT NULL::uuid AS id, NULL::int8 AS rank WHERE false"
        return """
            WITH vector_side AS (
                SELECT id, row_number() OVER (ORDER BY distance, id) AS rank
                FROM (
                    SELECT id, embedding <=> $1::vector AS distance
                    FROM memory.memories
                    WHERE user_id = $2 AND ($3::text IS NULL OR category = $3)
                    ORDER BY embedding <=> $1::vector
                    LIMIT $4
                ) AS nearest
            ),
            keyword_side AS (
                \(keyword)
            ),
            fused AS (
                SELECT coalesce(v.id, k.id) AS id, v.rank AS vector_rank, k.rank AS keyword_rank,
                       coalesce(1.0::float8 / (\(k) + v.rank), 0) + coalesce(1.0::float8 / (\(k) + k.rank), 0) AS score
                FROM vector_side AS v FULL JOIN keyword_side AS k ON k.id = v.id
            )
            SELECT m.id, m.text, m.category, m.source, m.confidence, m.created_at, m.updated_at, m.metadata::text,
                   (extract(epoch FROM m.created_at) * 1000000)::int8,
                   1 - (m.embedding <=> $1::vector), f.score, f.vector_rank, f.keyword_rank
            FROM (SELECT * FROM fused ORDER BY score DESC, least(vector_rank, keyword_rank), id LIMIT $5) AS f
            CROSS JOIN LATERAL (
                SELECT * FROM memory.memories AS m WHERE m.user_id = $2 AND m.id = f.id
            ) AS m
            ORDER BY f.score DESC, least(f.vector_rank, f.keyword_rank), m.id
            """
    }
}

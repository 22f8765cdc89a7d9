import Embeddings
import Logging
import PostgresNIO
import SemanticSearch
import ServiceKit

/// What apex-memory checks and prepares once the migrations have run, before it serves.
enum MemoryStartup {
    /// Records the embedding model (refusing to start on a different one), adds the
    /// `embedding vector(N)` column and its HNSW index, and warns when keyword search cannot use
    /// its GIN index under row-level security.
    static func prepare(database: Database, model: EmbeddingModelInfo, logger: Logger) async throws {
        try await VectorColumn(schema: MemorySchema.name, table: "memories", model: model).prepare(on: database, logger: logger)
        try await warnUnlessKeywordMatchIsLeakproof(database: database, logger: logger)
    }

    /// Under row-level security PostgreSQL uses an index only for LEAKPROOF operators, and
    /// `tsvector @@ tsquery` (`ts_match_vq`) is not marked so by default: keyword search then
    /// filters every row of the user instead of using the GIN index. Only a superuser can fix
    /// it, so the service says how.
    static func warnUnlessKeywordMatchIsLeakproof(database: Database, logger: Logger) async throws {
        let leakproof = try await database.withConnection { connection in
            let rows = try await connection.query(
                "SELECT proleakproof FROM pg_proc WHERE oid = 'pg_catalog.ts_match_vq(tsvector,tsquery)'::regprocedure",
                logger: logger)
            var value = false
            for try await flag in rows.decode(Bool.self) { value = flag }
            return value
        }
        if !leakproof {
            logger.warning(
                """
                keyword search cannot use its GIN index under row-level security: as a superuser run \
                ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF (see docs/operations.md)
                """)
        }
    }
}

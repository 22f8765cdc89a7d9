import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import SemanticSearch
import ServiceKit

/// The one write path of new memories, shared by `POST /api/v1/memories` and the memory scan,
/// so both merge near-duplicates the same way.
///
/// Race safety: "find the nearest memory, then insert" is a check-then-act, so two concurrent
/// writes of the same fact could both find nothing and both insert. A transaction-scoped
/// advisory lock per user serialises the check and the write of that user's memories (other
/// users are not held up); it is released at commit or rollback.
enum MemoryWriter {
    /// Settings of a transaction that looks up the nearest memory: `strict_order` so the first
    /// row really is the nearest of this user's memories (the HNSW scan keeps going past other
    /// users' rows instead of returning nothing, and does not return rows out of order).
    static let nearestSettings = [("hnsw.iterative_scan", "strict_order"), ("hnsw.ef_search", "40")]

    /// Takes the user's dedup lock, held until the transaction ends.
    static func lockForDeduplication(userID: String, on connection: PostgresConnection, logger: Logger) async throws {
        let key = "apexflow.memory.dedup:\(userID)"
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))", logger: logger)
    }

    /// Refreshes the nearest memory when its cosine similarity reaches `threshold`, otherwise
    /// inserts the draft. Call inside the transaction that holds `lockForDeduplication`.
    ///
    /// Refreshing keeps the existing text and category, bumps `updated_at`, keeps the higher
    /// confidence and adds the draft's metadata keys (the draft's value wins on a clash).
    static func insertOrRefresh(
        _ draft: MemoryDraft, userID: String, threshold: Double, on connection: PostgresConnection, logger: Logger
    ) async throws -> StoredMemory {
        let vector = PGVector.literal(draft.embedding)
        let metadata = try JSONText.encode(draft.metadata)
        let nearest = try await connection.query(
            """
            SELECT id, 1 - (embedding <=> \(vector)::vector) FROM memory.memories
            WHERE user_id = \(userID) AND embedding IS NOT NULL
            ORDER BY embedding <=> \(vector)::vector
            LIMIT 1
            """, logger: logger)
        var duplicate: UUID?
        for try await (id, similarity) in nearest.decode((UUID, Double).self) where similarity >= threshold {
            duplicate = id
        }
        if let duplicate {
            let rows = try await connection.query(
                """
                UPDATE memory.memories SET
                    updated_at = now(),
                    confidence = greatest(confidence, \(draft.confidence)),
                    metadata = metadata || \(metadata)::jsonb
                WHERE user_id = \(userID) AND id = \(duplicate)
                RETURNING \(unescaped: MemoryRow.columns)
                """, logger: logger)
            for try await row in rows.decode(MemoryRow.Columns.self) {
                return StoredMemory(memory: try MemoryRow.memory(row, deduplicated: true))
            }
        }
        let id = UUIDv7.generate()
        let rows = try await connection.query(
            """
            INSERT INTO memory.memories (id, user_id, text, category, source, confidence, metadata, embedding)
            VALUES (\(id), \(userID), \(draft.text), \(draft.category), \(draft.source), \(draft.confidence),
                    \(metadata)::jsonb, \(vector)::vector)
            RETURNING \(unescaped: MemoryRow.columns)
            """, logger: logger)
        for try await row in rows.decode(MemoryRow.Columns.self) {
            return StoredMemory(memory: try MemoryRow.memory(row))
        }
        throw PostgresUnexpectedlyEmpty(statement: "INSERT INTO memory.memories")
    }
}

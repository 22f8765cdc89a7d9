import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import SemanticSearch
import ServiceKit

/// Memories in `memory.memories`, with their embeddings (`vector(N)`, HNSW, cosine) and the
/// generated `text_tsv` (GIN) for the keyword side of search.
struct PostgresMemoryStore: MemoryStore {
    let database: Database
    let logger: Logger
    /// `MEMORY_DEDUP_THRESHOLD`.
    let dedupThreshold: Double

    static let list = "memories"

    func create(_ draft: MemoryDraft, userID: String) async throws -> StoredMemory {
        let logger = self.logger
        let threshold = dedupThreshold
        return try await database.withTransaction(.user(userID), settings: MemoryWriter.nearestSettings) { connection in
            try await MemoryWriter.lockForDeduplication(userID: userID, on: connection, logger: logger)
            return try await MemoryWriter.insertOrRefresh(draft, userID: userID, threshold: threshold, on: connection, logger: logger)
        }
    }

    func list(userID: String, category: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<Memory> {
        let logger = self.logger
        let cursorID = try cursor.map { cursor throws(APIError) -> UUID in
            guard let id = UUID(uuidString: cursor.id) else { throw APIError.invalid("cursor", "is not a cursor this list issued") }
            return id
        }
        let rows = try await database.withTransaction(.user(userID)) { connection in
            try await MemoryRow.all(
                try await connection.query(
                    """
                    SELECT \(unescaped: MemoryRow.columns) FROM memory.memories
                    WHERE user_id = \(userID) AND (\(category)::text IS NULL OR category = \(category))
                      AND (\(cursor?.microseconds)::int8 IS NULL
                           OR (created_at, id) < ('epoch'::timestamptz + \(cursor?.microseconds) * interval '1 microsecond', \(cursorID)::uuid))
                    ORDER BY created_at DESC, id DESC
                    LIMIT \(limit + 1)
                    """, logger: logger))
        }
        return Page(
            items: rows.prefix(limit).map(\.memory),
            nextCursor: PageCursor.next(after: rows, limit: limit, list: Self.list) { ($0.microseconds, $0.memory.id) })
    }

    func get(id: UUID, userID: String) async throws -> Memory? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            try await MemoryRow.all(
                try await connection.query(
                    "SELECT \(unescaped: MemoryRow.columns) FROM memory.memories WHERE user_id = \(userID) AND id = \(id)",
                    logger: logger)
            ).first?.memory
        }
    }

    func update(id: UUID, userID: String, changes: MemoryChanges) async throws -> Memory? {
        let logger = self.logger
        let text = changes.text?.0
        let embedding = changes.text.map { PGVector.literal($0.embedding) }
        let metadata = try changes.metadata.map(JSONText.encode)
        return try await database.withTransaction(.user(userID)) { connection in
            try await MemoryRow.all(
                try await connection.query(
                    """
                    UPDATE memory.memories SET
                        text = coalesce(\(text), text),
                        embedding = coalesce(\(embedding)::vector, embedding),
                        category = coalesce(\(changes.category), category),
                        confidence = coalesce(\(changes.confidence), confidence),
                        metadata = coalesce(\(metadata)::jsonb, metadata),
                        updated_at = now()
                    WHERE user_id = \(userID) AND id = \(id)
                    RETURNING \(unescaped: MemoryRow.columns)
                    """, logger: logger)
            ).first?.memory
        }
    }

    func delete(id: UUID, userID: String) async throws -> Bool {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "DELETE FROM memory.memories WHERE user_id = \(userID) AND id = \(id) RETURNING id", logger: logger)
            var deleted = false
            for try await _ in rows { deleted = true }
            return deleted
        }
    }

    func search(_ search: MemorySearch, userID: String) async throws -> [RankedMemory] {
        let logger = self.logger
        let settings = MemorySearchSQL.settings(candidates: search.candidates)
        return try await database.withTransaction(.user(userID), settings: settings) { connection in
            try await MemorySearchSQL.run(search, userID: userID, on: connection, logger: logger)
        }
    }
}

import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import SemanticSearch
import ServiceKit
import Synchronization

/// The PostgreSQL implementation of ``DocumentStore``: `rag.documents` and `rag.document_chunks`.
///
/// Every statement runs inside `database.withTransaction(.user(userID))` (row-level security)
/// and also names `user_id` itself, so isolation holds twice.
final class PostgresDocumentStore: DocumentStore {
    struct Tuning: Sendable {
        var efSearch: Int
        var exactSearchMaxChunks: Int
        var keywordMatchLimit: Int

        init(settings: RagSettings) {
            self.efSearch = settings.efSearch
            self.exactSearchMaxChunks = settings.exactSearchMaxChunks
            self.keywordMatchLimit = settings.keywordMatchLimit
        }
    }

    let database: Database
    let logger: Logger
    let tuning: Tuning
    let tenantSizes = TenantSizeCache()
    /// Tenants that ingested since the graph promoter's last round.
    let recentIngests = RecentIngests()
    /// pgvector ≥ 0.8 has iterative index scans, which keep filtered HNSW from returning too few rows.
    let iterativeScan = Atomic<Bool>(true)

    init(database: Database, logger: Logger, tuning: Tuning) {
        self.database = database
        self.logger = logger
        self.tuning = tuning
    }

    static let documentColumns = "id, filename, doc_type, file_hash, total_chunks, indexed_at, metadata::text"

    func document(withHash fileHash: String, userID: String) async throws -> Document? {
        try await database.withTransaction(.user(userID)) { [logger] connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.documentColumns) FROM rag.documents WHERE user_id = \(userID) AND file_hash = \(fileHash)",
                logger: logger)
            return try await Self.firstDocument(rows)
        }
    }

    func insert(_ document: NewDocument, chunks: [String], embeddings: [[Float]]) async throws -> Document {
        let metadata = try String(decoding: ApexJSON.encode(JSONValue.object(document.metadata)), as: UTF8.self)
        let chunkIDs = chunks.map { _ in UUIDv7.generate() }
        let indexes = Array(0..<chunks.count)
        let vectors = embeddings.map(PGVector.literal)
        let tenantSizes = self.tenantSizes
        let recentIngests = self.recentIngests
        return try await database.withTransaction(.user(document.userID)) { [logger] connection in
            let inserted = try await connection.query(
                """
                INSERT INTO rag.documents (id, user_id, filename, doc_type, file_hash, total_chunks, metadata)
                VALUES (\(UUID(uuidString: document.id)!), \(document.userID), \(document.filename), \(document.docType.rawValue),
                        \(document.fileHash), \(chunks.count), \(metadata)::jsonb)
                ON CONFLICT (user_id, file_hash) DO NOTHING
                RETURNING \(unescaped: Self.documentColumns)
                """,
                logger: logger)
            guard let stored = try await Self.firstDocument(inserted) else {
                // A racing upload of the same content committed first: answer with its document.
                let rows = try await connection.query(
                    "SELECT \(unescaped: Self.documentColumns) FROM rag.documents WHERE user_id = \(document.userID) AND file_hash = \(document.fileHash)",
                    logger: logger)
                guard var existing = try await Self.firstDocument(rows) else {
                    throw APIError(.conflict, "the document changed concurrently")
                }
                existing.deduplicated = true
                return existing
            }
            // One statement for all chunks: no round trip per chunk. A trigger sets `in_graph` for
            // tenants in the graph (large ones): only their chunks pay for an HNSW insert. It also
            // takes the tenant's graph lock shared, so the promoter's last step waits for this
            // transaction (PostgresDocumentStore+Graph.swift).
            try await connection.query(
                """
                INSERT INTO rag.document_chunks (id, document_id, user_id, chunk_index, content, embedding)
                SELECT t.id, \(UUID(uuidString: document.id)!), \(document.userID), t.idx, t.content, t.embedding::public.vector
                FROM unnest(\(chunkIDs)::uuid[], \(indexes)::int4[], \(chunks)::text[], \(vectors)::text[]) AS t(id, idx, content, embedding)
                """,
                logger: logger)
            tenantSizes.add(chunks.count, for: document.userID)
            recentIngests.record(document.userID)
            return stored
        }
    }

    func document(id: String, userID: String) async throws -> Document? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        return try await database.withTransaction(.user(userID)) { [logger] connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.documentColumns) FROM rag.documents WHERE user_id = \(userID) AND id = \(uuid)",
                logger: logger)
            return try await Self.firstDocument(rows)
        }
    }

    func documents(userID: String, limit: Int, after cursor: KeysetCursor?) async throws -> Page<Document> {
        try await database.withTransaction(.user(userID)) { [logger] connection in
            let rows: PostgresRowSequence
            if let cursor, let afterID = UUID(uuidString: cursor.id) {
                rows = try await connection.query(
                    """
                    SELECT \(unescaped: Self.documentColumns), (extract(epoch FROM created_at) * 1000000)::int8
                    FROM rag.documents
                    WHERE user_id = \(userID)
                      AND (created_at, id) < (timestamptz 'epoch' + \(cursor.key) * interval '1 microsecond', \(afterID))
                    ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                    """,
                    logger: logger)
            } else if cursor != nil {
                throw APIError.invalid("cursor", "is not a cursor this server issued")
            } else {
                rows = try await connection.query(
                    """
                    SELECT \(unescaped: Self.documentColumns), (extract(epoch FROM created_at) * 1000000)::int8
                    FROM rag.documents WHERE user_id = \(userID)
                    ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                    """,
                    logger: logger)
            }
            var items: [(Document, Int64)] = []
            for try await row in rows.decode((UUID, String, String, String, Int, Date, String, Int64).self) {
                items.append((try Self.makeDocument(row.0, row.1, row.2, row.3, row.4, row.5, row.6), row.7))
            }
            let hasMore = items.count > limit
            let page = Array(items.prefix(limit))
            let next = hasMore ? page.last.map { KeysetCursor(key: $0.1, id: $0.0.id).encoded } : nil
            return Page(items: page.map(\.0), nextCursor: next)
        }
    }

    func deleteDocument(id: String, userID: String) async throws -> Bool {
        guard let uuid = UUID(uuidString: id) else { return false }
        let tenantSizes = self.tenantSizes
        return try await database.withTransaction(.user(userID)) { [logger] connection in
            let rows = try await connection.query(
                "DELETE FROM rag.documents WHERE user_id = \(userID) AND id = \(uuid) RETURNING total_chunks", logger: logger)
            for try await removed in rows.decode(Int.self) {
                tenantSizes.add(-removed, for: userID)
                return true
            }
            return false
        }
    }

    func chunks(documentID: String, userID: String, limit: Int, after cursor: KeysetCursor?) async throws -> Page<Chunk>? {
        guard let uuid = UUID(uuidString: documentID) else { return nil }
        return try await database.withTransaction(.user(userID)) { [logger] connection in
            let exists = try await connection.query(
                "SELECT 1 FROM rag.documents WHERE user_id = \(userID) AND id = \(uuid)", logger: logger)
            var found = false
            for try await _ in exists.decode(Int.self) { found = true }
            guard found else { return nil }
            let after = Int(cursor?.key ?? -1)
            let rows = try await connection.query(
                """
                SELECT id, chunk_index, content FROM rag.document_chunks
                WHERE user_id = \(userID) AND document_id = \(uuid) AND chunk_index > \(after)
                ORDER BY chunk_index LIMIT \(limit + 1)
                """,
                logger: logger)
            var items: [Chunk] = []
            for try await (id, index, content) in rows.decode((UUID, Int, String).self) {
                items.append(Chunk(id: id.uuidString.lowercased(), chunkIndex: index, content: content))
            }
            let hasMore = items.count > limit
            let page = Array(items.prefix(limit))
            let next = hasMore ? page.last.map { KeysetCursor(key: Int64($0.chunkIndex), id: $0.id).encoded } : nil
            return Page(items: page, nextCursor: next)
        }
    }

    /// Logs what the database offers that search depends on, with the fix when it is missing.
    func checkDatabaseFeatures() async {
        do {
            let (version, leakproof) = try await database.withConnection { [logger] connection in
                let rows = try await connection.query(
                    """
                    SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector'),
                           (SELECT proleakproof FROM pg_proc WHERE oid = 'pg_catalog.ts_match_vq(tsvector,tsquery)'::regprocedure)
                    """,
                    logger: logger)
                for try await row in rows.decode((String?, Bool).self) { return row }
                return (nil, false)
            }
            let parts = (version ?? "0").split(separator: ".").compactMap { Int($0) }
            let iterative = parts.count >= 2 && (parts[0], parts[1]) >= (0, 8)
            iterativeScan.store(iterative, ordering: .relaxed)
            logger.info("pgvector", metadata: ["version": "\(version ?? "missing")", "iterative_scan": "\(iterative)"])
            if !leakproof {
                logger.warning(
                    """
                    keyword search cannot use its GIN index under row-level security: as a superuser run \
                    ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF (see docs/operations.md)
                    """)
            }
        } catch {
            logger.warning("could not check database features", metadata: ["error": "\(error)"])
        }
    }

    static func firstDocument(_ rows: PostgresRowSequence) async throws -> Document? {
        for try await row in rows.decode((UUID, String, String, String, Int, Date, String).self) {
            return try makeDocument(row.0, row.1, row.2, row.3, row.4, row.5, row.6)
        }
        return nil
    }

    static func makeDocument(
        _ id: UUID, _ filename: String, _ docType: String, _ fileHash: String, _ totalChunks: Int, _ indexedAt: Date, _ metadata: String
    ) throws -> Document {
        let meta = try ApexJSON.decode(JSONValue.self, from: Data(metadata.utf8))
        return Document(
            id: id.uuidString.lowercased(), filename: filename, docType: DocumentType(rawValue: docType) ?? .text,
            fileHash: fileHash, totalChunks: totalChunks, indexedAt: indexedAt,
            metadata: meta.objectValue ?? [:], deduplicated: false)
    }
}

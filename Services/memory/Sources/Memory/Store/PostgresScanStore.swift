import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The memory scan's bookkeeping in `memory.scanned_runs` and `memory.scan_failures`.
struct PostgresScanStore: ScanStore {
    let database: Database
    let logger: Logger
    /// `MEMORY_DEDUP_THRESHOLD`, as for `POST /api/v1/memories`.
    let dedupThreshold: Double
    /// Runs last inside `recordScan`'s transaction, just before the commit. A test seam: a
    /// failure injected here must leave the session unscanned and no memory written.
    var beforeCommit: (@Sendable (_ sessionID: String) async throws -> Void)?

    func pendingSessions(userID: String, limit: Int, maxAttempts: Int) async throws -> [SessionTranscript] {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                SELECT s.id, s.query, s.node_outputs::text FROM memory.sessions AS s
                WHERE s.user_id = \(userID) AND s.status = 'completed'
                  AND NOT EXISTS (
                      SELECT 1 FROM memory.scanned_runs AS r WHERE r.user_id = s.user_id AND r.session_id = s.id)
                  AND NOT EXISTS (
                      SELECT 1 FROM memory.scan_failures AS f
                      WHERE f.user_id = s.user_id AND f.session_id = s.id AND f.attempts >= \(maxAttempts))
                ORDER BY s.created_at, s.id
                LIMIT \(limit)
                """, logger: logger)
            var sessions: [SessionTranscript] = []
            for try await (id, query, outputs) in rows.decode((String, String, String).self) {
                sessions.append(SessionTranscript(sessionID: id, query: query, nodeOutputs: try JSONText.value(outputs)))
            }
            return sessions
        }
    }

    func recordScan(userID: String, sessionID: String, drafts: [MemoryDraft]) async throws -> Int? {
        let logger = self.logger
        let threshold = dedupThreshold
        let beforeCommit = self.beforeCommit
        return try await database.withTransaction(.user(userID), settings: MemoryWriter.nearestSettings) { connection in
            try await MemoryWriter.lockForDeduplication(userID: userID, on: connection, logger: logger)
            // Claim the session first: a concurrent scan that got here earlier wins, and this one
            // writes nothing (the claim holds the row lock of the primary key until commit).
            let claim = try await connection.query(
                """
                INSERT INTO memory.scanned_runs (user_id, session_id)
                SELECT user_id, id FROM memory.sessions WHERE user_id = \(userID) AND id = \(sessionID) AND status = 'completed'
                ON CONFLICT (user_id, session_id) DO NOTHING
                RETURNING session_id
                """, logger: logger)
            var claimed = false
            for try await _ in claim { claimed = true }
            guard claimed else { return nil }

            var added = 0
            for draft in drafts {
                let stored = try await MemoryWriter.insertOrRefresh(
                    draft, userID: userID, threshold: threshold, on: connection, logger: logger)
                if stored.created { added += 1 }
            }
            try await connection.query(
                """
                UPDATE memory.scanned_runs SET memories_added = \(added) WHERE user_id = \(userID) AND session_id = \(sessionID)
                """, logger: logger)
            try await connection.query(
                "DELETE FROM memory.scan_failures WHERE user_id = \(userID) AND session_id = \(sessionID)", logger: logger)
            try await beforeCommit?(sessionID)
            return added
        }
    }

    func recordFailure(userID: String, sessionID: String, error: String) async throws {
        let logger = self.logger
        let reason = String(error.prefix(2000))
        do {
            try await database.withTransaction(.user(userID)) { connection in
                _ = try await connection.query(
                    """
                    INSERT INTO memory.scan_failures (user_id, session_id, last_error) VALUES (\(userID), \(sessionID), \(reason))
                    ON CONFLICT (user_id, session_id) DO UPDATE
                        SET attempts = memory.scan_failures.attempts + 1, last_error = EXCLUDED.last_error, failed_at = now()
                    """, logger: logger)
            }
        } catch let error as PSQLError where error.sqlState == "23503" {
            // The session was deleted meanwhile: nothing left to remember.
        }
    }
}

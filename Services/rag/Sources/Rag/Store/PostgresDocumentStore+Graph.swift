import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Moving large tenants into the HNSW graph (migration 0002_graph_tenants.sql says why).
///
/// The protocol that keeps a `ready` tenant's chunks all in the graph:
/// 1. the promoter registers the tenant in `rag.graph_tenants` (`promoting`); from then on a
///    trigger sets `in_graph` on every chunk written for it;
/// 2. it sets `in_graph` on the tenant's other chunks, a batch per transaction;
/// 3. its last transaction takes the tenant's graph lock exclusively, so it waits for every
///    transaction that inserted a chunk (the trigger takes the lock shared, before it looks for
///    the tenant's registration), moves what they wrote, and marks the tenant `ready`.
/// Search walks the graph only for `ready` tenants.
extension PostgresDocumentStore {
    /// Rows moved per transaction: each is an HNSW insert (~1–3 ms of database CPU).
    static let graphBatchSize = 1000

    /// Takes the tenant's graph lock exclusively until the end of the transaction. (The chunk
    /// trigger of 0002_graph_tenants.sql takes it shared, with the same key.)
    static func exclusiveGraphLock(_ userID: String) -> PostgresQuery {
        let key = "apexflow.rag.graph." + userID
        return "SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))"
    }

    /// Tenants to move into the graph: more than `SEARCH_EXACT_MAX_CHUNKS` chunks outside it, a
    /// promotion that was interrupted, or a graph tenant with a chunk outside the graph (written
    /// by an older apex-rag during a rollout).
    ///
    /// - Parameter candidates: only these tenants are counted (each an index-only scan of its
    ///   chunks outside the graph); nil counts every chunk outside the graph, which is most of
    ///   the table (every small tenant's chunks).
    func tenantsDueForGraph(among candidates: [String]? = nil) async throws -> [String] {
        let threshold = tuning.exactSearchMaxChunks
        return try await database.withTransaction(.system) { [logger] connection in
            // `everyone` is a bind parameter, so each execution's own plan folds the condition
            // away: a full scan of the rows outside the graph, or an index scan per candidate.
            let everyone = candidates == nil
            let rows = try await connection.query(
                """
                SELECT c.user_id FROM rag.document_chunks c LEFT JOIN rag.graph_tenants g ON g.user_id = c.user_id
                WHERE NOT c.in_graph AND (\(everyone) OR c.user_id = ANY(\(candidates ?? [])::text[]))
                GROUP BY c.user_id, g.user_id HAVING count(*) > \(threshold) OR g.user_id IS NOT NULL
                UNION
                SELECT user_id FROM rag.graph_tenants WHERE state = 'promoting'
                ORDER BY user_id
                """,
                logger: logger)
            var users: [String] = []
            for try await user in rows.decode(String.self) { users.append(user) }
            return users
        }
    }

    /// Moves every chunk of the tenant into the graph and marks it `ready`; answers how many
    /// chunks moved. Safe to run from several replicas at once.
    func promoteToGraph(_ userID: String) async throws -> Int {
        try await database.withTransaction(.user(userID)) { [logger] connection in
            _ = try await connection.query(
                "INSERT INTO rag.graph_tenants (user_id) VALUES (\(userID)) ON CONFLICT (user_id) DO NOTHING", logger: logger)
        }
        var moved = 0
        while true {
            let batch = try await database.withTransaction(.user(userID)) { [logger] connection in
                try await Self.moveIntoGraph(userID, limit: Self.graphBatchSize, on: connection, logger: logger)
            }
            moved += batch
            if batch < Self.graphBatchSize { break }
        }
        moved += try await database.withTransaction(.user(userID)) { [logger] connection in
            try await connection.query(Self.exclusiveGraphLock(userID), logger: logger)
            let rest = try await Self.moveIntoGraph(userID, limit: nil, on: connection, logger: logger)
            try await connection.query(
                "UPDATE rag.graph_tenants SET state = 'ready', changed_at = now() WHERE user_id = \(userID) AND state <> 'ready'",
                logger: logger)
            return rest
        }
        tenantSizes.markInGraph(userID)
        return moved
    }

    /// Sets `in_graph` on up to `limit` (nil: all) of the tenant's chunks outside the graph.
    private static func moveIntoGraph(
        _ userID: String, limit: Int?, on connection: PostgresConnection, logger: Logger
    ) async throws
        -> Int
    {
        // Rows another replica is moving are skipped in batches; the last step waits for them.
        let rows =
            if let limit {
                try await connection.query(
                    """
                    WITH moved AS (
                        UPDATE rag.document_chunks SET in_graph = true
                        WHERE user_id = \(userID) AND id IN (
                            SELECT id FROM rag.document_chunks WHERE user_id = \(userID) AND NOT in_graph
                            ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                        RETURNING 1)
                    SELECT count(*)::int8 FROM moved
                    """,
                    logger: logger)
            } else {
                try await connection.query(
                    """
                    WITH moved AS (
                        UPDATE rag.document_chunks SET in_graph = true WHERE user_id = \(userID) AND NOT in_graph RETURNING 1)
                    SELECT count(*)::int8 FROM moved
                    """,
                    logger: logger)
            }
        var count = 0
        for try await value in rows.decode(Int64.self) { count = Int(value) }
        return count
    }
}

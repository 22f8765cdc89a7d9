import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Agent sessions in `memory.sessions`.
struct PostgresSessionStore: SessionStore {
    let database: Database
    let logger: Logger

    static let list = "sessions"

    func create(_ request: CreateSessionRequest, id: String, userID: String) async throws -> Session? {
        let logger = self.logger
        let graphData = try JSONText.encode(request.graphData ?? [:])
        let metadata = try JSONText.encode(request.metadata ?? [:])
        return try await database.withTransaction(.user(userID)) { connection in
            try await SessionRow.all(
                try await connection.query(
                    """
                    INSERT INTO memory.sessions (user_id, id, query, agent_type, graph_data, metadata)
                    VALUES (\(userID), \(id), \(request.query), \(request.agentType), \(graphData)::jsonb, \(metadata)::jsonb)
                    ON CONFLICT (user_id, id) DO NOTHING
                    RETURNING \(unescaped: SessionRow.columns)
                    """, logger: logger)
            ).first?.session
        }
    }

    func list(userID: String, status: SessionStatus?, limit: Int, after cursor: PageCursor?) async throws -> Page<Session> {
        let logger = self.logger
        let rows = try await database.withTransaction(.user(userID)) { connection in
            try await SessionRow.all(
                try await connection.query(
                    """
                    SELECT \(unescaped: SessionRow.columns) FROM memory.sessions
                    WHERE user_id = \(userID) AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                      AND (\(cursor?.microseconds)::int8 IS NULL
                           OR (created_at, id) < ('epoch'::timestamptz + \(cursor?.microseconds) * interval '1 microsecond', \(cursor?.id)))
                    ORDER BY created_at DESC, id DESC
                    LIMIT \(limit + 1)
                    """, logger: logger))
        }
        return Page(
            items: rows.prefix(limit).map(\.session),
            nextCursor: PageCursor.next(after: rows, limit: limit, list: Self.list) { ($0.microseconds, $0.session.id) })
    }

    func get(id: String, userID: String) async throws -> Session? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            try await SessionRow.all(
                try await connection.query(
                    "SELECT \(unescaped: SessionRow.columns) FROM memory.sessions WHERE user_id = \(userID) AND id = \(id)",
                    logger: logger)
            ).first?.session
        }
    }

    /// Locks the row, decides the status transition (`SessionTransition`), then writes every
    /// change in one statement. `node_outputs` merges by node name (a node's new output
    /// replaces its old one, other nodes' outputs stay); the other JSON fields are replaced.
    func update(id: String, userID: String, changes: UpdateSessionRequest) async throws -> SessionUpdate {
        let logger = self.logger
        let graphData = try changes.graphData.map(JSONText.encode)
        let nodeOutputs = try changes.nodeOutputs.map(JSONText.encode)
        let metadata = try changes.metadata.map(JSONText.encode)
        return try await database.withTransaction(.user(userID)) { connection in
            let current = try await connection.query(
                "SELECT status FROM memory.sessions WHERE user_id = \(userID) AND id = \(id) FOR UPDATE", logger: logger)
            var status: SessionStatus?
            for try await raw in current.decode(String.self) { status = SessionStatus(rawValue: raw) }
            guard let status else { return .notFound }
            let finishing: SessionStatus?
            switch SessionTransition.resolve(from: status, to: changes.status) {
            case .failure(let conflict): return .conflict(conflict)
            case .success(.unchanged): finishing = nil
            case .success(.finish(let next)): finishing = next
            }
            let rows = try await connection.query(
                """
                UPDATE memory.sessions SET
                    status = coalesce(\(finishing?.rawValue), status),
                    completed_at = CASE WHEN \(finishing != nil) THEN now() ELSE completed_at END,
                    graph_data = coalesce(\(graphData)::jsonb, graph_data),
                    node_outputs = node_outputs || coalesce(\(nodeOutputs)::jsonb, '{}'::jsonb),
                    cost = CASE WHEN \(changes.cost.isPresent) THEN \(changes.cost.value)::numeric ELSE cost END,
                    model_used = CASE WHEN \(changes.modelUsed.isPresent) THEN \(changes.modelUsed.value) ELSE model_used END,
                    error = CASE WHEN \(changes.error.isPresent) THEN \(changes.error.value) ELSE error END,
                    metadata = coalesce(\(metadata)::jsonb, metadata),
                    updated_at = now()
                WHERE user_id = \(userID) AND id = \(id)
                RETURNING \(unescaped: SessionRow.columns)
                """, logger: logger)
            guard let session = try await SessionRow.all(rows).first?.session else { return .notFound }
            return .updated(session)
        }
    }

    func delete(id: String, userID: String) async throws -> Bool {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "DELETE FROM memory.sessions WHERE user_id = \(userID) AND id = \(id) RETURNING id", logger: logger)
            var deleted = false
            for try await _ in rows { deleted = true }
            return deleted
        }
    }
}

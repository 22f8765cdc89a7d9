import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// State in `memory.system_state`. A JSON `null` is stored as the jsonb value `null`, never as
/// SQL NULL, so "set to null" and "absent" stay different (200 vs 404).
struct PostgresStateStore: StateStore {
    let database: Database
    let logger: Logger

    func get(key: String, userID: String) async throws -> StateEntry? {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "SELECT value::text, updated_at FROM memory.system_state WHERE user_id = \(userID) AND key = \(key)",
                logger: logger)
            for try await (value, updatedAt) in rows.decode((String, Date).self) {
                return StateEntry(key: key, value: try JSONText.value(value), updatedAt: updatedAt)
            }
            return nil
        }
    }

    func put(key: String, value: JSONValue, userID: String) async throws -> StateEntry {
        let logger = self.logger
        let text = try JSONText.encode(value)
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO memory.system_state (user_id, key, value) VALUES (\(userID), \(key), \(text)::jsonb)
                ON CONFLICT (user_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
                RETURNING value::text, updated_at
                """, logger: logger)
            for try await (value, updatedAt) in rows.decode((String, Date).self) {
                return StateEntry(key: key, value: try JSONText.value(value), updatedAt: updatedAt)
            }
            throw PostgresUnexpectedlyEmpty(statement: "INSERT INTO memory.system_state")
        }
    }

    func delete(key: String, userID: String) async throws -> Bool {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "DELETE FROM memory.system_state WHERE user_id = \(userID) AND key = \(key) RETURNING key", logger: logger)
            var deleted = false
            for try await _ in rows { deleted = true }
            return deleted
        }
    }
}

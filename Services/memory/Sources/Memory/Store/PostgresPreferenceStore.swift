import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Preference hubs in `memory.user_preferences`, one row per (user, hub).
///
/// A patch is merged by `memory.jsonb_merge_patch` in the same statement that reads the row:
/// `INSERT … ON CONFLICT DO UPDATE` takes the row lock, so concurrent patches to different
/// keys apply one after the other to the latest value and none is lost — no read-modify-write
/// in the service, no retry loop. The row is created by the first patch.
struct PostgresPreferenceStore: PreferenceStore {
    let database: Database
    let logger: Logger

    func all(userID: String) async throws -> PreferencesResponse {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "SELECT hub, value::text, updated_at FROM memory.user_preferences WHERE user_id = \(userID)", logger: logger)
            var response = PreferencesResponse()
            for try await (name, value, updatedAt) in rows.decode((String, String, Date).self) {
                guard let hub = PreferenceHub(rawValue: name) else { continue }
                response[hub] = try JSONText.object(value)
                response.updatedAt = max(response.updatedAt ?? updatedAt, updatedAt)
            }
            return response
        }
    }

    func hub(_ hub: PreferenceHub, userID: String) async throws -> JSONObject {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "SELECT value::text FROM memory.user_preferences WHERE user_id = \(userID) AND hub = \(hub.rawValue)",
                logger: logger)
            for try await value in rows.decode(String.self) { return try JSONText.object(value) }
            return [:]
        }
    }

    func merge(_ patch: JSONObject, into hub: PreferenceHub, userID: String) async throws -> JSONObject {
        let logger = self.logger
        let patchText = try JSONText.encode(patch)
        return try await database.withTransaction(.user(userID)) { connection in
            // The original patch goes into DO UPDATE as well: EXCLUDED.value has its nulls removed.
            let rows = try await connection.query(
                """
                INSERT INTO memory.user_preferences AS p (user_id, hub, value)
                VALUES (\(userID), \(hub.rawValue), memory.jsonb_merge_patch('{}'::jsonb, \(patchText)::jsonb))
                ON CONFLICT (user_id, hub) DO UPDATE
                    SET value = memory.jsonb_merge_patch(p.value, \(patchText)::jsonb), updated_at = now()
                RETURNING value::text
                """, logger: logger)
            for try await value in rows.decode(String.self) { return try JSONText.object(value) }
            throw PostgresUnexpectedlyEmpty(statement: "INSERT INTO memory.user_preferences")
        }
    }
}

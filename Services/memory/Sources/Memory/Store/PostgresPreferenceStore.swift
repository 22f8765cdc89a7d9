import ApexProtocol
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Preference hubs in `memory.user_preferences`, one row per (user, hub).
///
/// Patches are merged inside PostgreSQL by `memory.merge_preference_patches` (which applies
/// `memory.jsonb_merge_patch` in order) under the hub's row lock, so concurrent patches to
/// different keys apply one after the other to the latest value and none is lost — no
/// read-modify-write in the service, no retry loop. The row is created by the first patch.
/// `PreferencePatchQueue` hands it the patches that arrived together as one batch.
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

    func hub(_ hub: PreferenceHub, userID: String) async throws -> JSONDocument {
        let logger = self.logger
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "SELECT value::text FROM memory.user_preferences WHERE user_id = \(userID) AND hub = \(hub.rawValue)",
                logger: logger)
            for try await value in rows.decode(String.self) { return JSONDocument(text: value) }
            return JSONDocument(text: "{}")
        }
    }

    func merge(_ patch: JSONObject, into hub: PreferenceHub, userID: String) async throws -> JSONDocument {
        guard let merged = try await merge([patch], into: hub, userID: userID).first else {
            throw PostgresUnexpectedlyEmpty(statement: "memory.merge_preference_patches")
        }
        return merged
    }

    /// Applies the patches in order in one transaction (`memory.merge_preference_patches`, one
    /// row lock for all of them) and returns the hub after each one.
    func merge(_ patches: [JSONObject], into hub: PreferenceHub, userID: String) async throws -> [JSONDocument] {
        let logger = self.logger
        let patchList = try JSONText.encode(.array(patches.map(JSONValue.object)))
        return try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                """
                SELECT merged::text FROM memory.merge_preference_patches(\(userID), \(hub.rawValue), \(patchList)::jsonb)
                ORDER BY step
                """, logger: logger)
            var states: [JSONDocument] = []
            for try await value in rows.decode(String.self) { states.append(JSONDocument(text: value)) }
            return states
        }
    }
}

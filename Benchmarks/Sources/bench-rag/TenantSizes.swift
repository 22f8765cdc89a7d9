import Logging
import ServiceKit

/// Chunks per user as the service counts them (it picks exact or HNSW search from this).
enum TenantSizes {
    static func load(_ database: Database, logger: Logger) async throws -> [String: Int] {
        try await database.withTransaction(.system) { connection in
            let rows = try await connection.query(
                "SELECT user_id, count(*)::int8 FROM rag.document_chunks GROUP BY user_id", logger: logger)
            var sizes: [String: Int] = [:]
            for try await (user, count) in rows.decode((String, Int64).self) { sizes[user] = Int(count) }
            return sizes
        }
    }
}

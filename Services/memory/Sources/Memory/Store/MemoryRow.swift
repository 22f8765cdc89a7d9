import ApexProtocol
import Foundation
import PostgresNIO

/// The columns every memory query returns, in this order, and how to read them.
///
/// The last column is `created_at` in integer microseconds: the exact keyset of the row
/// (see `PageCursor`).
enum MemoryRow {
    static let columns =
        "id, text, category, source, confidence, created_at, updated_at, metadata::text, (extract(epoch FROM created_at) * 1000000)::int8"

    typealias Columns = (UUID, String, String, String, Double, Date, Date, String, Int64)

    static func memory(_ row: Columns, deduplicated: Bool = false) throws -> Memory {
        Memory(
            id: row.0.uuidString.lowercased(), text: row.1, category: row.2, source: row.3, confidence: row.4,
            createdAt: row.5, updatedAt: row.6, metadata: try JSONText.object(row.7), deduplicated: deduplicated)
    }

    static func all(_ rows: PostgresRowSequence) async throws -> [(memory: Memory, microseconds: Int64)] {
        var result: [(memory: Memory, microseconds: Int64)] = []
        for try await row in rows.decode(Columns.self) {
            result.append((try memory(row), row.8))
        }
        return result
    }
}

import ApexProtocol
import Foundation
import PostgresNIO

/// The columns every session query returns, in this order (the last one is `created_at` in
/// integer microseconds, the keyset).
enum SessionRow {
    static let columns = """
        id, query, status, agent_type, graph_data::text, node_outputs::text, cost::float8, model_used, error, \
        created_at, completed_at, metadata::text, (extract(epoch FROM created_at) * 1000000)::int8
        """

    typealias Columns = (String, String, String, String?, String, String, Double?, String?, String?, Date, Date?, String, Int64)

    static func all(_ rows: PostgresRowSequence) async throws -> [(session: Session, microseconds: Int64)] {
        var result: [(session: Session, microseconds: Int64)] = []
        for try await row in rows.decode(Columns.self) {
            guard let status = SessionStatus(rawValue: row.2) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown session status \(row.2)"))
            }
            let session = Session(
                id: row.0, query: row.1, status: status, agentType: row.3, graphData: try JSONText.object(row.4),
                nodeOutputs: try JSONText.object(row.5), cost: row.6, modelUsed: row.7, error: row.8, createdAt: row.9,
                completedAt: row.10, metadata: try JSONText.object(row.11))
            result.append((session, row.12))
        }
        return result
    }
}

import ApexProtocol
import Foundation
import PostgresNIO

/// The columns of chat and message queries, in order; each ends with its keyset timestamp in
/// integer microseconds (`updated_at` for chats, `created_at` for messages).
enum ChatRow {
    static let chatColumns = """
        id, target_type, target_id, title, model, created_at, updated_at, (extract(epoch FROM updated_at) * 1000000)::int8
        """
    static let messageColumns = """
        id, chat_id, role, content, created_at, metadata::text, (extract(epoch FROM created_at) * 1000000)::int8
        """

    static func chats(_ rows: PostgresRowSequence) async throws -> [(chat: Chat, microseconds: Int64)] {
        var result: [(chat: Chat, microseconds: Int64)] = []
        for try await row in rows.decode((String, String, String, String, String?, Date, Date, Int64).self) {
            let chat = Chat(
                id: row.0, targetType: row.1, targetID: row.2, title: row.3, model: row.4, createdAt: row.5, updatedAt: row.6)
            result.append((chat, row.7))
        }
        return result
    }

    static func messages(_ rows: PostgresRowSequence) async throws -> [(message: Message, microseconds: Int64)] {
        var result: [(message: Message, microseconds: Int64)] = []
        for try await row in rows.decode((UUID, String, String, String, Date, String, Int64).self) {
            guard let role = MessageRole(rawValue: row.2) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown message role \(row.2)"))
            }
            let message = Message(
                id: row.0.uuidString.lowercased(), chatID: row.1, role: role, content: row.3, createdAt: row.4,
                metadata: try JSONText.object(row.5))
            result.append((message, row.6))
        }
        return result
    }
}

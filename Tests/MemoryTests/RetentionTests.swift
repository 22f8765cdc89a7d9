import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing

@testable import Memory

@Suite("Retention sweep")
struct RetentionTests {
    /// Runs in a database of its own: a sweep is system-wide, so any other test's sweep on the
    /// shared database (the end-to-end test's scheduler, for one) would take this test's rows.
    @Test func deletesOldMessagesAndLongFinishedSessionsInBatches() async throws {
        let user = MemoryTestApp.newUser()
        try await TestDatabase.withScratchDatabase { url in
            let scratch = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url, "DB_ACQUIRE_TIMEOUT_MS": "3000"]))
            try await MemoryTestApp.run(["RETENTION_BATCH_SIZE": "2", "DATABASE_URL": url]) { client in
                let api = MemoryAPI(client, user: user)
                _ = try await api.call(
                    .post, "/api/v1/chats", json: #"{"id": "old-chat", "target_type": "a", "target_id": "b"}"#, as: Chat.self)
                let recent = try await api.call(
                    .post, "/api/v1/chats/old-chat/messages", json: #"{"role": "user", "content": "recent"}"#, as: Message.self)
                _ = try await api.call(.post, "/api/v1/sessions", json: #"{"id": "fresh", "query": "q"}"#, as: Session.self)
                _ = try await api.call(.patch, "/api/v1/sessions/fresh", json: #"{"status": "completed"}"#, as: Session.self)
                _ = try await api.call(.post, "/api/v1/sessions", json: #"{"id": "still-running", "query": "q"}"#, as: Session.self)

                // Back-date rows the API cannot: five year-old messages, two long-finished sessions
                // and one running session that is just as old (running sessions are never swept).
                try await TestDatabase.withDatabase(settings: scratch) { database in
                    try await database.withTransaction(.user(user)) { connection in
                        let logger = MemoryTestDatabase.logger
                        for index in 0..<5 {
                            try await connection.query(
                                """
                                INSERT INTO memory.chat_messages (id, user_id, chat_id, role, content, created_at)
                                VALUES (gen_random_uuid(), \(user), 'old-chat', 'user', \("old \(index)"), now() - interval '400 days')
                                """, logger: logger)
                        }
                        for id in ["ancient-1", "ancient-2"] {
                            try await connection.query(
                                """
                                INSERT INTO memory.sessions (user_id, id, query, status, created_at, completed_at)
                                VALUES (\(user), \(id), 'q', 'completed', now() - interval '300 days', now() - interval '200 days')
                                """, logger: logger)
                            try await connection.query(
                                "INSERT INTO memory.scanned_runs (user_id, session_id) VALUES (\(user), \(id))", logger: logger)
                        }
                        try await connection.query(
                            "UPDATE memory.sessions SET created_at = now() - interval '400 days' WHERE user_id = \(user) AND id = 'still-running'",
                            logger: logger)
                    }
                }

                let userCall = try await api.send(.post, "/internal/retention")
                #expect(userCall.status == .forbidden)
                let system: HTTPFields = [.xApexIdentity: TestSettings.token(for: .memory, subject: "system", from: .scheduler)]
                let response = try await client.execute(uri: "/internal/retention", method: .post, headers: system)
                let swept = try MemoryAPI.decode(RetentionResponse.self, from: response)
                #expect((swept.deleted["chat_messages"] ?? 0) >= 5)
                #expect((swept.deleted["sessions"] ?? 0) >= 2)

                #expect(try await api.call(.get, "/api/v1/chats/old-chat/messages", as: Page<Message>.self).items.map(\.id) == [recent.id])
                #expect(
                    Set(try await api.call(.get, "/api/v1/sessions", as: Page<Session>.self).items.map(\.id)) == ["fresh", "still-running"])
                let again = try MemoryAPI.decode(
                    RetentionResponse.self, from: try await client.execute(uri: "/internal/retention", method: .post, headers: system))
                #expect(again.deleted.keys.sorted() == ["chat_messages", "sessions"])
            }
        }
    }
}

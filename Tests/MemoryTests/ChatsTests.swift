import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import Memory

@Suite("Chats and messages")
struct ChatsTests {
    @Test func oneHundredTwentyMessagesPageOldestFirstWithoutGapOrRepeat() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            _ = try await api.call(
                .post, "/api/v1/chats", json: #"{"id": "c1", "target_type": "agent", "target_id": "planner"}"#, as: Chat.self)
            var posted: [String] = []
            for index in 0..<120 {
                let role = ["user", "assistant", "system"][index % 3]
                let message = try await api.call(
                    .post, "/api/v1/chats/c1/messages", json: #"{"role": "\#(role)", "content": "message \#(index)"}"#, as: Message.self)
                posted.append(message.id)
            }
            var seen: [String] = []
            var contents: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await api.call(
                    .get, "/api/v1/chats/c1/messages?limit=50" + (cursor.map { "&cursor=\($0)" } ?? ""), as: Page<Message>.self)
                seen += page.items.map(\.id)
                contents += page.items.map(\.content)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil
            #expect(pages == 3)
            #expect(seen == posted)
            #expect(contents == (0..<120).map { "message \($0)" })
            #expect(Set(seen).count == 120)
        }
    }

    @Test func chatsListMostRecentlyUpdatedFirstAndMessagesBumpThem() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            var chats: [Chat] = []
            for (id, target) in [("c1", "doc-1"), ("c2", "doc-2"), ("c3", "doc-1")] {
                chats.append(
                    try await api.call(
                        .post, "/api/v1/chats", json: #"{"id": "\#(id)", "target_type": "document", "target_id": "\#(target)"}"#,
                        as: Chat.self))
            }
            #expect(chats[0].title == "New Chat" && chats[0].model == nil)
            #expect(try await api.call(.get, "/api/v1/chats", as: Page<Chat>.self).items.map(\.id) == ["c3", "c2", "c1"])
            let message = try await api.call(
                .post, "/api/v1/chats/c1/messages", json: #"{"role": "user", "content": "hi", "metadata": {"n": 1}}"#, as: Message.self)
            #expect(message.chatID == "c1" && message.role == .user && message.metadata == ["n": 1])
            let bumped = try await api.call(.get, "/api/v1/chats/c1", as: Chat.self)
            #expect(bumped.updatedAt > chats[0].updatedAt && bumped.updatedAt == message.createdAt)
            #expect(try await api.call(.get, "/api/v1/chats", as: Page<Chat>.self).items.map(\.id) == ["c1", "c3", "c2"])
            let forDoc1 = try await api.call(.get, "/api/v1/chats?target_type=document&target_id=doc-1", as: Page<Chat>.self)
            #expect(forDoc1.items.map(\.id) == ["c1", "c3"])
            let paged = try await api.call(.get, "/api/v1/chats?limit=2", as: Page<Chat>.self)
            let rest = try await api.call(.get, "/api/v1/chats?limit=2&cursor=\(try #require(paged.nextCursor))", as: Page<Chat>.self)
            #expect(paged.items.map(\.id) + rest.items.map(\.id) == ["c1", "c3", "c2"] && rest.nextCursor == nil)

            let renamed = try await api.call(.patch, "/api/v1/chats/c2", json: #"{"title": "Budget", "model": "gemini"}"#, as: Chat.self)
            #expect(renamed.title == "Budget" && renamed.model == "gemini")
            let reset = try await api.call(.patch, "/api/v1/chats/c2", json: #"{"model": null}"#, as: Chat.self)
            #expect(reset.title == "Budget" && reset.model == nil)
            #expect(
                try await api.send(.post, "/api/v1/chats", json: #"{"id": "c2", "target_type": "x", "target_id": "y"}"#).status == .conflict
            )
            #expect(try await api.send(.post, "/api/v1/chats", json: #"{"target_type": "", "target_id": "y"}"#).status == .badRequest)
            #expect(
                try await api.send(.post, "/api/v1/chats/c2/messages", json: #"{"role": "robot", "content": "x"}"#).status == .badRequest)
            #expect(
                try await api.send(.post, "/api/v1/chats/nope/messages", json: #"{"role": "user", "content": "x"}"#).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/chats/c1/messages?cursor=abc").status == .badRequest)
        }
    }

    @Test func deletingAChatDeletesItsMessages() async throws {
        let user = MemoryTestApp.newUser()
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client, user: user)
            _ = try await api.call(.post, "/api/v1/chats", json: #"{"id": "gone", "target_type": "a", "target_id": "b"}"#, as: Chat.self)
            for index in 0..<3 {
                _ = try await api.call(
                    .post, "/api/v1/chats/gone/messages", json: #"{"role": "user", "content": "\#(index)"}"#, as: Message.self)
            }
            #expect(try await api.send(.delete, "/api/v1/chats/gone").status == .noContent)
            #expect(try await api.send(.get, "/api/v1/chats/gone").status == .notFound)
            #expect(try await api.send(.get, "/api/v1/chats/gone/messages").status == .notFound)
            #expect(try await api.send(.delete, "/api/v1/chats/gone").status == .notFound)
        }
        let left = try await MemoryTestDatabase.withPrepared { database in
            try await MemoryTestDatabase.count(
                "SELECT count(*)::int8 FROM memory.chat_messages WHERE user_id = \(user)", userID: user, on: database)
        }
        #expect(left == 0)
    }
}

import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Memory

@Suite("Tenant isolation")
struct TenantIsolationTests {
    /// Everything user A owns is answered to user B exactly like something missing (404), and
    /// never shows up in B's lists, searches, preferences or scans.
    @Test func anotherUserGets404ForEverythingAndSeesNothing() async throws {
        try await MemoryTestApp.run { client in
            let alice = MemoryAPI(client)
            let bob = alice.as(MemoryTestApp.newUser())
            let memory = try await alice.call(
                .post, "/api/v1/memories", json: #"{"text": "Alice keeps her passport in the blue drawer"}"#, as: Memory.self)
            _ = try await alice.call(
                .post, "/api/v1/sessions", json: #"{"id": "run-a", "query": "I prefer aisle seats"}"#, as: Session.self)
            _ = try await alice.call(.patch, "/api/v1/sessions/run-a", json: #"{"status": "completed"}"#, as: Session.self)
            _ = try await alice.call(
                .post, "/api/v1/chats", json: #"{"id": "chat-a", "target_type": "agent", "target_id": "x"}"#, as: Chat.self)
            let message = try await alice.call(
                .post, "/api/v1/chats/chat-a/messages", json: #"{"role": "user", "content": "secret"}"#, as: Message.self)
            _ = try await alice.call(.put, "/api/v1/state/theme", json: #"{"value": "dark"}"#, as: StateEntry.self)
            _ = try await alice.call(.patch, "/api/v1/preferences/preferences", json: #"{"seat": "aisle"}"#, as: JSONValue.self)

            let notFound: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/v1/memories/\(memory.id)", nil),
                (.patch, "/api/v1/memories/\(memory.id)", #"{"text": "Bob was here"}"#),
                (.delete, "/api/v1/memories/\(memory.id)", nil),
                (.get, "/api/v1/sessions/run-a", nil),
                (.patch, "/api/v1/sessions/run-a", #"{"status": "failed"}"#),
                (.delete, "/api/v1/sessions/run-a", nil),
                (.get, "/api/v1/chats/chat-a", nil),
                (.patch, "/api/v1/chats/chat-a", #"{"title": "mine"}"#),
                (.get, "/api/v1/chats/chat-a/messages", nil),
                (.post, "/api/v1/chats/chat-a/messages", #"{"role": "user", "content": "hi"}"#),
                (.delete, "/api/v1/chats/chat-a", nil),
                (.get, "/api/v1/state/theme", nil),
                (.delete, "/api/v1/state/theme", nil),
            ]
            for (method, path, json) in notFound {
                let response = try await bob.send(method, path, json: json)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(try MemoryAPI.problem(response).code == .notFound)
            }
            #expect(try await bob.call(.get, "/api/v1/memories", as: Page<Memory>.self).items.isEmpty)
            #expect(try await bob.call(.get, "/api/v1/sessions", as: Page<Session>.self).items.isEmpty)
            #expect(try await bob.call(.get, "/api/v1/chats", as: Page<Chat>.self).items.isEmpty)
            let search = try await bob.call(
                .post, "/api/v1/memories/search", json: #"{"query": "passport blue drawer"}"#, as: MemorySearchResponse.self)
            #expect(search.results.isEmpty)
            #expect(try await bob.call(.get, "/api/v1/preferences", as: PreferencesResponse.self) == PreferencesResponse())
            #expect(
                try await bob.call(.post, "/api/v1/memories/scan", as: MemoryScanResponse.self)
                    == MemoryScanResponse(sessionsScanned: 0, memoriesAdded: 0))
            // Bob writing state under the same key makes his own entry.
            _ = try await bob.call(.put, "/api/v1/state/theme", json: #"{"value": "light"}"#, as: StateEntry.self)

            // Alice still has everything, unchanged.
            #expect(try await alice.call(.get, "/api/v1/memories/\(memory.id)", as: Memory.self).text == memory.text)
            #expect(try await alice.call(.get, "/api/v1/sessions/run-a", as: Session.self).status == .completed)
            #expect(try await alice.call(.get, "/api/v1/chats/chat-a/messages", as: Page<Message>.self).items.map(\.id) == [message.id])
            #expect(try await alice.call(.get, "/api/v1/state/theme", as: StateEntry.self).value == "dark")
            let aliceSearch = try await alice.call(
                .post, "/api/v1/memories/search", json: #"{"query": "passport blue drawer"}"#, as: MemorySearchResponse.self)
            #expect(aliceSearch.results.map(\.id) == [memory.id])
        }
    }

    @Test func requestsNeedAUserIdentity() async throws {
        try await MemoryTestApp.run { (client) async throws -> Void in
            func status(_ path: String, _ headers: HTTPFields = [:]) async throws -> HTTPResponse.Status {
                try await client.execute(uri: path, method: .get, headers: headers).status
            }
            #expect(try await status("/api/v1/memories") == .unauthorized)
            let system: HTTPFields = [.xApexIdentity: TestSettings.token(for: .memory, subject: "system")]
            #expect(try await status("/api/v1/memories", system) == .forbidden)
            let wrongAudience: HTTPFields = [.xApexIdentity: TestSettings.token(for: .rag, subject: "alice")]
            #expect(try await status("/api/v1/memories", wrongAudience) == .unauthorized)
            #expect(try await status("/liveness") == .ok)
        }
    }
}

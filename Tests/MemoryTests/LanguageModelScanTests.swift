import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import Memory

@Suite("The memory scan with a language model (local stub)")
struct LanguageModelScanTests {
    static func providers(_ baseURL: String) -> [(name: String, environment: [String: String])] {
        [
            ("gemini", ["LLM_PROVIDER": "gemini", "GEMINI_API_KEY": LanguageModelStub.geminiKey, "GEMINI_BASE_URL": baseURL]),
            ("openai", ["LLM_PROVIDER": "openai", "OPENAI_API_KEY": LanguageModelStub.openAIKey, "OPENAI_BASE_URL": "\(baseURL)/v1"]),
        ].map { name, environment in
            (
                name,
                environment.merging(["LLM_MODEL": LanguageModelStub.model, "MEMORY_SCAN_MAX_ATTEMPTS": "2", "LLM_TIMEOUT_MS": "5000"]) {
                    _, new in new
                }
            )
        }
    }

    static func completedSession(_ api: MemoryAPI, id: String, query: String) async throws {
        _ = try await api.call(.post, "/api/v1/sessions", json: #"{"id": "\#(id)", "query": "\#(query)"}"#, as: Session.self)
        _ = try await api.call(.patch, "/api/v1/sessions/\(id)", json: #"{"status": "completed"}"#, as: Session.self)
    }

    @Test(arguments: ["gemini", "openai"])
    func factsComeBackAndMalformedOutputIsRecordedForItsSession(provider: String) async throws {
        let stub = LanguageModelStub()
        let user = MemoryTestApp.newUser()
        try await stub.run { baseURL in
            let environment = Self.providers(baseURL).first { $0.name == provider }!.environment
            try await MemoryTestApp.run(environment) { client in
                let api = MemoryAPI(client, user: user)
                try await Self.completedSession(api, id: "good", query: "Book my trip to Oslo next week")
                try await Self.completedSession(api, id: "bad", query: "MALFORMED answer expected here")

                let first = try await api.call(.post, "/api/v1/memories/scan", as: MemoryScanResponse.self)
                #expect(first == MemoryScanResponse(sessionsScanned: 1, memoriesAdded: 2))
                #expect(stub.calls == 2)
                let memories = try await api.call(.get, "/api/v1/memories", as: Page<Memory>.self).items
                #expect(Set(memories.map(\.text)) == ["Prefers window seats", "Said: Book my trip to"])
                #expect(Set(memories.map(\.category)) == ["preference", "session_notes"])
                #expect(memories.allSatisfy { $0.source == "scan" })

                // The malformed session stays unscanned and is retried, up to MEMORY_SCAN_MAX_ATTEMPTS.
                #expect(
                    try await api.call(.post, "/api/v1/memories/scan", as: MemoryScanResponse.self)
                        == .init(sessionsScanned: 0, memoriesAdded: 0))
                #expect(stub.calls == 3)
                #expect(
                    try await api.call(.post, "/api/v1/memories/scan", as: MemoryScanResponse.self)
                        == .init(sessionsScanned: 0, memoriesAdded: 0))
                #expect(stub.calls == 3)
            }
            try await MemoryTestDatabase.withPrepared { database in
                let failures = try await database.withTransaction(.user(user)) { connection in
                    var rows: [(String, Int, String)] = []
                    let query: PostgresQuery = "SELECT session_id, attempts, last_error FROM memory.scan_failures WHERE user_id = \(user)"
                    for try await row in try await connection.query(query, logger: MemoryTestDatabase.logger).decode(
                        (String, Int, String).self)
                    {
                        rows.append(row)
                    }
                    return rows
                }
                #expect(failures.count == 1)
                #expect(failures.first?.0 == "bad" && failures.first?.1 == 2)
                #expect(failures.first?.2.contains("malformed") == true)
            }
        }
    }

    @Test(arguments: ["gemini", "openai"])
    func anUnavailableModelStopsTheScanWith503AndLeavesTheSessionUnscanned(provider: String) async throws {
        let stub = LanguageModelStub()
        try await stub.run { baseURL in
            let environment = Self.providers(baseURL).first { $0.name == provider }!.environment
            try await MemoryTestApp.run(environment) { client in
                let api = MemoryAPI(client)
                try await Self.completedSession(api, id: "later", query: "UNAVAILABLE model right now")
                let response = try await api.send(.post, "/api/v1/memories/scan")
                #expect(response.status == .serviceUnavailable)
                #expect(try MemoryAPI.problem(response).code == .upstreamUnavailable)
                #expect(response.headers[.retryAfter] != nil)
                // Not recorded as a failure of the session: it is simply read again next time.
                _ = try await api.send(.post, "/api/v1/memories/scan")
                #expect(stub.calls == 2)
            }
        }
    }

    @Test func aWrongKeyMakesTheModelUnavailableNotTheSession() async throws {
        let stub = LanguageModelStub()
        try await stub.run { baseURL in
            var environment = Self.providers(baseURL)[0].environment
            environment["GEMINI_API_KEY"] = "wrong"
            try await MemoryTestApp.run(environment) { client in
                let api = MemoryAPI(client)
                try await Self.completedSession(api, id: "k", query: "I prefer tea")
                #expect(try await api.send(.post, "/api/v1/memories/scan").status == .serviceUnavailable)
            }
        }
    }
}

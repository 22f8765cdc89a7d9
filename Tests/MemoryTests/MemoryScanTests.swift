import ApexProtocol
import ApexTestSupport
import Embeddings
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing

@testable import Memory

@Suite("The memory scan")
struct MemoryScanTests {
    @Test func readsCompletedSessionsOnceWithTheRules() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            _ = try await api.call(
                .post, "/api/v1/sessions",
                json: #"{"id": "s1", "query": "I prefer dark roast coffee. What is the weather in Lyon?"}"#, as: Session.self)
            _ = try await api.call(
                .post, "/api/v1/sessions", json: #"{"id": "s2", "query": "My daughter is called Ana"}"#, as: Session.self)
            // Running sessions are not read.
            #expect(
                try await api.call(.post, "/api/v1/memories/scan", as: MemoryScanResponse.self)
                    == .init(sessionsScanned: 0, memoriesAdded: 0))

            _ = try await api.call(
                .patch, "/api/v1/sessions/s1",
                json: #"{"status": "completed", "node_outputs": {"planner": {"notes": "Remember that the office moved to Lyon."}}}"#,
                as: Session.self)
            _ = try await api.call(.patch, "/api/v1/sessions/s2", json: #"{"status": "failed"}"#, as: Session.self)
            let first = try await api.call(.post, "/api/v1/memories/scan", as: MemoryScanResponse.self)
            #expect(first == MemoryScanResponse(sessionsScanned: 1, memoriesAdded: 2))
            let memories = try await api.call(.get, "/api/v1/memories", as: Page<Memory>.self).items
            #expect(Set(memories.map(\.text)) == ["I prefer dark roast coffee", "The office moved to Lyon"])
            #expect(memories.allSatisfy { $0.source == "scan" && $0.metadata == ["session_id": "s1"] })
            #expect(Set(memories.map(\.category)) == ["preference", "fact"])

            #expect(
                try await api.call(.post, "/api/v1/memories/scan", as: MemoryScanResponse.self)
                    == .init(sessionsScanned: 0, memoriesAdded: 0))
            #expect(try await api.call(.get, "/api/v1/memories", as: Page<Memory>.self).items.count == 2)

            // A later session repeating a known fact is scanned, but the fact merges.
            _ = try await api.call(
                .post, "/api/v1/sessions", json: #"{"id": "s3", "query": "I prefer dark roast coffee! Never book red-eye flights."}"#,
                as: Session.self)
            _ = try await api.call(.patch, "/api/v1/sessions/s3", json: #"{"status": "completed"}"#, as: Session.self)
            #expect(
                try await api.call(.post, "/api/v1/memories/scan", as: MemoryScanResponse.self)
                    == .init(sessionsScanned: 1, memoriesAdded: 1))
        }
    }

    /// A failure after extraction, inside the transaction that stores the memories and marks the
    /// session scanned, must leave no memory and the session unscanned; the next scan does it.
    @Test func aCrashBeforeCommitLeavesTheSessionUnscanned() async throws {
        try await MemoryTestDatabase.withPrepared { database in
            struct InjectedCrash: Error {}
            let user = MemoryTestApp.newUser()
            let logger = MemoryTestDatabase.logger
            let sessions = PostgresSessionStore(database: database, logger: logger)
            _ = try await sessions.create(CreateSessionRequest(id: "crash", query: "I love sailing on lakes"), id: "crash", userID: user)
            _ = try await sessions.update(id: "crash", userID: user, changes: UpdateSessionRequest(status: .completed))

            var failing = PostgresScanStore(database: database, logger: logger, dedupThreshold: 0.95)
            failing.beforeCommit = { _ in throw InjectedCrash() }
            func scanner(_ store: PostgresScanStore) -> MemoryScanner {
                MemoryScanner(
                    store: store, extractor: RuleBasedExtractor(), embedder: HashEmbedder(), settings: MemoryScanSettings(), logger: logger)
            }
            await #expect(throws: InjectedCrash.self) { try await scanner(failing).scan(userID: user) }
            let memories = try await MemoryTestDatabase.count(
                "SELECT count(*)::int8 FROM memory.memories WHERE user_id = \(user)", userID: user, on: database)
            let scanned = try await MemoryTestDatabase.count(
                "SELECT count(*)::int8 FROM memory.scanned_runs WHERE user_id = \(user)", userID: user, on: database)
            #expect(memories == 0 && scanned == 0)

            let working = PostgresScanStore(database: database, logger: logger, dedupThreshold: 0.95)
            #expect(try await scanner(working).scan(userID: user) == MemoryScanResponse(sessionsScanned: 1, memoriesAdded: 1))
            #expect(try await scanner(working).scan(userID: user) == MemoryScanResponse(sessionsScanned: 0, memoriesAdded: 0))
        }
    }

    /// Two scans of the same user at once: each session is read into memories once.
    @Test func concurrentScansStoreEachSessionOnce() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            for index in 0..<6 {
                _ = try await api.call(
                    .post, "/api/v1/sessions", json: #"{"id": "p\#(index)", "query": "I enjoy hobby number \#(index) on weekends"}"#,
                    as: Session.self)
                _ = try await api.call(.patch, "/api/v1/sessions/p\(index)", json: #"{"status": "completed"}"#, as: Session.self)
            }
            let results = try await withThrowingTaskGroup(of: MemoryScanResponse.self) { group in
                for _ in 0..<3 { group.addTask { try await api.call(.post, "/api/v1/memories/scan", as: MemoryScanResponse.self) } }
                return try await group.reduce(into: [MemoryScanResponse]()) { $0.append($1) }
            }
            #expect(results.map(\.sessionsScanned).reduce(0, +) == 6)
            #expect(results.map(\.memoriesAdded).reduce(0, +) == 6)
            #expect(try await api.call(.get, "/api/v1/memories", as: Page<Memory>.self).items.count == 6)
        }
    }
}

import ApexProtocol
import ApexTestSupport
import Embeddings
import Foundation
import HummingbirdTesting
import SemanticSearch
import ServiceKit
import Testing

@testable import Rag

/// The golden queries again, with the real all-MiniLM-L6-v2 model running in-process — plus
/// paraphrases that share no word with their document, which only a semantic model can match.
/// Runs in a scratch database because a schema holds vectors of one model only.
@Suite("Golden queries with the local model")
struct LocalModelTests {
    static var modelDirectory: String {
        guard let directory = ProcessInfo.processInfo.environment["LOCAL_MODEL_DIR"], !directory.isEmpty else {
            fatalError("LOCAL_MODEL_DIR is not set: scripts/test sets it from scripts/model-dir")
        }
        return directory
    }

    static let paraphrases: [(String, String)] = [
        ("preparing to run 42 kilometres", "marathon.md"),
        ("what does a beekeeper look for", "beekeeping.md"),
        ("stock market value of a house loan", "mortgage.md"),
    ]

    @Test func expectedDocumentIsInTheTopThreeWithMiniLM() async throws {
        try await TestDatabase.withScratchDatabase { url in
            let settings = try RagSettings(
                environment: TestSettings.environment([
                    "DATABASE_URL": url, "EMBEDDING_PROVIDER": "local", "LOCAL_MODEL_DIR": Self.modelDirectory,
                ]))
            try await buildApplication(settings: settings, runtime: TestSettings.runtime()).test(.router) { client in
                let rag = client.rag()
                var ids: [String: String] = [:]
                for (filename, content) in GoldenQueryTests.corpus { ids[filename] = try await rag.upload(filename, content).1.id }
                var misses: [String] = []
                for (query, expected) in GoldenQueryTests.queries + Self.paraphrases.prefix(2) {
                    let top3 = try await rag.search(query).results.prefix(3)
                    if !top3.map(\.documentID).contains(ids[expected]!) { misses.append("\(query) → \(top3.map(\.filename))") }
                }
                #expect(misses.isEmpty, "\(misses)")
            }
        }
    }

    @Test func aServiceConfiguredForAnotherModelRefusesToStart() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await TestDatabase.withDatabase(settings: try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url]))) {
                database in
                try await RagSchema.migrations().run(on: database, logger: database.logger)
                let hash = VectorColumn(schema: "rag", table: "document_chunks", model: EmbeddingModelInfo(name: "hash-v1", dimension: 384))
                try await hash.prepare(on: database, logger: database.logger)
                let other = VectorColumn(
                    schema: "rag", table: "document_chunks", model: EmbeddingModelInfo(name: "gemini/x", dimension: 768))
                do {
                    try await other.prepare(on: database, logger: database.logger)
                    Issue.record("a different model was accepted")
                } catch let mismatch as EmbeddingModelMismatch {
                    #expect("\(mismatch)".contains("hash-v1") && "\(mismatch)".contains("re-embed"))
                }
                // The same model again is fine (every restart does this).
                try await hash.prepare(on: database, logger: database.logger)
            }
        }
    }
}

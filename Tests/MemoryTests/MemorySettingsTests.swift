import ApexTestSupport
import ServiceKit
import Testing

@testable import Memory

@Suite("apex-memory settings")
struct MemorySettingsTests {
    @Test func defaults() throws {
        let settings = try MemoryTestApp.settings()
        #expect(settings.dedupThreshold == 0.95 && settings.searchCandidates == 40)
        #expect(settings.scan.provider == .none && settings.scan.maxSessions == 100 && settings.scan.maxAttempts == 3)
        #expect(settings.retention == RetentionPolicy(chatMessagesDays: 365, sessionsDays: 180, batchSize: 1000))
        #expect(settings.embedder.provider == .hash)
    }

    @Test func eachMalformedValueNamesItsVariable() {
        let cases: [([String: String], String)] = [
            (["MEMORY_DEDUP_THRESHOLD": "1.5"], "MEMORY_DEDUP_THRESHOLD"),
            (["MEMORY_DEDUP_THRESHOLD": "high"], "MEMORY_DEDUP_THRESHOLD"),
            (["MEMORY_SEARCH_CANDIDATES": "5"], "MEMORY_SEARCH_CANDIDATES"),
            (["LLM_PROVIDER": "claude"], "LLM_PROVIDER"),
            (["LLM_PROVIDER": "gemini"], "GEMINI_API_KEY"),
            (["LLM_PROVIDER": "openai"], "OPENAI_BASE_URL"),
            (["GEMINI_BASE_URL": "ftp://x"], "GEMINI_BASE_URL"),
            (["LLM_TIMEOUT_MS": "0"], "LLM_TIMEOUT_MS"),
            (["MEMORY_SCAN_MAX_SESSIONS": "0"], "MEMORY_SCAN_MAX_SESSIONS"),
            (["MEMORY_SCAN_MAX_ATTEMPTS": "x"], "MEMORY_SCAN_MAX_ATTEMPTS"),
            (["CHAT_MESSAGES_RETENTION_DAYS": "0"], "CHAT_MESSAGES_RETENTION_DAYS"),
            (["SESSIONS_RETENTION_DAYS": "-3"], "SESSIONS_RETENTION_DAYS"),
            (["RETENTION_BATCH_SIZE": "1000000"], "RETENTION_BATCH_SIZE"),
            (["EMBEDDING_PROVIDER": "local", "LOCAL_MODEL_DIR": ""], "LOCAL_MODEL_DIR"),
        ]
        for (overrides, variable) in cases {
            let error = #expect(throws: ConfigurationError.self, "\(overrides)") { try MemoryTestApp.settings(overrides) }
            #expect(error?.variable == variable, "\(overrides)")
        }
    }

    @Test func providersPickTheirDefaultModels() throws {
        let gemini = try MemoryTestApp.settings(["LLM_PROVIDER": "gemini", "GEMINI_API_KEY": "k"])
        #expect(gemini.scan.model == MemoryScanSettings.defaultGeminiModel)
        let openAI = try MemoryTestApp.settings([
            "LLM_PROVIDER": "openai", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "LLM_MODEL": "llama",
        ])
        #expect(openAI.scan.model == "llama" && openAI.scan.openAIAPIKey == nil)
    }
}

import ApexTestSupport
import Foundation
import ServiceKit
import Testing

@testable import Memory

/// `OPENAI_BASE_URL` and `GEMINI_BASE_URL` are shared with the embedder, which accepts them with
/// or without the version segment; the scan's extractors must reach the same API either way
/// (before, `https://api.openai.com` embedded fine and the scan answered 404).
@Suite("Language-model base URLs with or without their version")
struct LanguageModelBaseURLTests {
    static func extractor(_ environment: [String: String]) throws -> any MemoryExtractor {
        let settings = try MemoryScanSettings(
            environment: EnvironmentReader(
                environment.merging(["LLM_MODEL": LanguageModelStub.model, "LLM_TIMEOUT_MS": "5000"]) { a, _ in a }))
        return MemoryExtractors.make(settings)
    }

    static let transcript = SessionTranscript(sessionID: "s1", query: "Book my trip to Oslo next week", nodeOutputs: [:])

    @Test func theEndpointsKeepOrAddTheVersion() throws {
        let openAI = [
            ("https://api.openai.com", "https://api.openai.com/v1/chat/completions"),
            ("https://api.openai.com/", "https://api.openai.com/v1/chat/completions"),
            ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),
            ("https://api.openai.com/v1/", "https://api.openai.com/v1/chat/completions"),
            ("http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1/chat/completions"),
            ("http://llm.internal:8000/proxy/v1", "http://llm.internal:8000/proxy/v1/chat/completions"),
        ]
        for (base, endpoint) in openAI {
            let extractor = try Self.extractor(["LLM_PROVIDER": "openai", "OPENAI_BASE_URL": base]) as? OpenAIChatExtractor
            #expect(extractor?.endpoint == endpoint.replacingOccurrences(of: "MODEL", with: LanguageModelStub.model), "\(base)")
        }
        let gemini = [
            ("https://generativelanguage.googleapis.com", "https://generativelanguage.googleapis.com/v1beta/models/MODEL:generateContent"),
            (
                "https://generativelanguage.googleapis.com/v1beta",
                "https://generativelanguage.googleapis.com/v1beta/models/MODEL:generateContent"
            ),
            (
                "https://generativelanguage.googleapis.com/v1beta/",
                "https://generativelanguage.googleapis.com/v1beta/models/MODEL:generateContent"
            ),
            ("https://generativelanguage.googleapis.com/v1", "https://generativelanguage.googleapis.com/v1/models/MODEL:generateContent"),
        ]
        for (base, endpoint) in gemini {
            let extractor =
                try Self.extractor(["LLM_PROVIDER": "gemini", "GEMINI_API_KEY": "k", "GEMINI_BASE_URL": base]) as? GeminiExtractor
            #expect(extractor?.endpoint == endpoint.replacingOccurrences(of: "MODEL", with: LanguageModelStub.model), "\(base)")
        }
    }

    /// Each form against the local stub (which serves `/v1/chat/completions` and
    /// `/v1beta/models/…:generateContent`): the extraction succeeds with the stub's two facts.
    @Test(arguments: ["", "/", "/v1", "/v1/"])
    func openAIWorksWithAndWithoutV1(suffix: String) async throws {
        let stub = LanguageModelStub()
        try await stub.run { baseURL in
            let extractor = try Self.extractor([
                "LLM_PROVIDER": "openai", "OPENAI_API_KEY": LanguageModelStub.openAIKey, "OPENAI_BASE_URL": baseURL + suffix,
            ])
            let memories = try await extractor.extract(from: Self.transcript)
            #expect(memories.map(\.text) == ["Prefers window seats", "Said: Book my trip to"])
        }
        #expect(stub.calls == 1)
    }

    @Test(arguments: ["", "/", "/v1beta", "/v1beta/"])
    func geminiWorksWithAndWithoutV1beta(suffix: String) async throws {
        let stub = LanguageModelStub()
        try await stub.run { baseURL in
            let extractor = try Self.extractor([
                "LLM_PROVIDER": "gemini", "GEMINI_API_KEY": LanguageModelStub.geminiKey, "GEMINI_BASE_URL": baseURL + suffix,
            ])
            let memories = try await extractor.extract(from: Self.transcript)
            #expect(memories.map(\.text) == ["Prefers window seats", "Said: Book my trip to"])
        }
        #expect(stub.calls == 1)
    }
}

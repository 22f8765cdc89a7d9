public import Foundation
public import ServiceKit

/// How the memory scan turns completed sessions into memories.
///
/// Without `LLM_PROVIDER` (or with `none`) the documented rule-based extractor runs: no network,
/// no key, deterministic. `gemini` calls Gemini's `generateContent`; `openai` calls any
/// OpenAI-compatible `chat/completions` endpoint at `OPENAI_BASE_URL`.
public struct MemoryScanSettings: Sendable {
    public enum Provider: String, Sendable, CaseIterable {
        case none, gemini, openai
    }

    public var provider: Provider
    /// `LLM_MODEL`: the chat model; defaults per provider.
    public var model: String
    /// `GEMINI_API_KEY` (shared with the Gemini embedder).
    public var geminiAPIKey: String?
    /// `GEMINI_BASE_URL`: Google's endpoint unless a proxy or a test stub stands in.
    public var geminiBaseURL: URL
    /// `OPENAI_BASE_URL`, e.g. `https://api.openai.com` or `https://api.openai.com/v1` (`/v1` is
    /// added when missing, as the embedder does, then `/chat/completions`).
    public var openAIBaseURL: URL?
    /// `OPENAI_API_KEY`: sent as `Authorization: Bearer …` when set (local servers need none).
    public var openAIAPIKey: String?
    /// `LLM_TIMEOUT_MS`: the deadline of one extraction call.
    public var timeout: Duration
    /// `MEMORY_SCAN_MAX_SESSIONS`: sessions one scan reads at most (the rest wait for the next).
    public var maxSessions: Int
    /// `MEMORY_SCAN_MAX_ATTEMPTS`: extractions of one session that may fail (malformed model
    /// output) before the scan stops retrying it.
    public var maxAttempts: Int

    public static let defaultGeminiModel = "gemini-2.5-flash"
    public static let defaultOpenAIModel = "gpt-4o-mini"
    public static let defaultGeminiBaseURL = URL(string: "https://generativelanguage.googleapis.com")!

    public init(
        provider: Provider = .none, model: String? = nil, geminiAPIKey: String? = nil,
        geminiBaseURL: URL = MemoryScanSettings.defaultGeminiBaseURL, openAIBaseURL: URL? = nil,
        openAIAPIKey: String? = nil, timeout: Duration = .seconds(30), maxSessions: Int = 100, maxAttempts: Int = 3
    ) {
        self.provider = provider
        self.model = model ?? (provider == .openai ? Self.defaultOpenAIModel : Self.defaultGeminiModel)
        self.geminiAPIKey = geminiAPIKey
        self.geminiBaseURL = geminiBaseURL
        self.openAIBaseURL = openAIBaseURL
        self.openAIAPIKey = openAIAPIKey
        self.timeout = timeout
        self.maxSessions = maxSessions
        self.maxAttempts = maxAttempts
    }

    public init(environment env: EnvironmentReader) throws(ConfigurationError) {
        let raw = try env.oneOf("LLM_PROVIDER", Provider.allCases.map(\.rawValue), default: Provider.none.rawValue)
        let provider = Provider(rawValue: raw) ?? .none
        self.init(
            provider: provider,
            model: env.string("LLM_MODEL"),
            geminiAPIKey: env.string("GEMINI_API_KEY"),
            geminiBaseURL: try env.httpURL("GEMINI_BASE_URL") ?? Self.defaultGeminiBaseURL,
            openAIBaseURL: try env.httpURL("OPENAI_BASE_URL"),
            openAIAPIKey: env.string("OPENAI_API_KEY"),
            timeout: try env.milliseconds("LLM_TIMEOUT_MS", default: .seconds(30), range: 100...600_000),
            maxSessions: try env.int("MEMORY_SCAN_MAX_SESSIONS", default: 100, range: 1...10_000),
            maxAttempts: try env.int("MEMORY_SCAN_MAX_ATTEMPTS", default: 3, range: 1...100)
        )
        switch provider {
        case .gemini where geminiAPIKey == nil:
            throw ConfigurationError("GEMINI_API_KEY", "is required when LLM_PROVIDER=gemini")
        case .openai where openAIBaseURL == nil:
            throw ConfigurationError("OPENAI_BASE_URL", "is required when LLM_PROVIDER=openai")
        default:
            break
        }
    }
}

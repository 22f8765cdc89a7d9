public import Embeddings
public import Foundation
public import ServiceKit

/// Which embedder a service uses, read from the environment (`EMBEDDING_PROVIDER` and friends).
///
/// `local` (all-MiniLM-L6-v2 in-process) is the default: it needs no network and no key.
/// `hash` is deterministic feature hashing for tests and benchmarks. `gemini` and `openai`
/// call remote APIs and need their keys.
public struct EmbedderSettings: Sendable {
    public enum Provider: String, Sendable, CaseIterable { case local, hash, gemini, openai }

    public var provider: Provider
    /// `EMBEDDING_DIMENSION`: the hash embedder's size, Gemini's `outputDimensionality` (768 when
    /// unset) and OpenAI's `dimensions` (the model's own size when unset).
    public var dimension: Int?
    public var localModelDirectory: URL?
    /// Threads the local model may use for one batch (`EMBEDDING_THREADS`).
    public var threads: Int
    public var geminiAPIKey: String?
    public var geminiModel: String
    /// `GEMINI_BASE_URL`: Google's host unless tests or a proxy say otherwise.
    public var geminiBaseURL: URL
    public var openAIBaseURL: URL?
    public var openAIAPIKey: String?
    public var openAIModel: String
    public var requestTimeout: Duration

    public init(environment env: EnvironmentReader) throws(ConfigurationError) {
        let raw = try env.oneOf("EMBEDDING_PROVIDER", Provider.allCases.map(\.rawValue), default: Provider.local.rawValue)
        self.provider = Provider(rawValue: raw) ?? .local
        self.dimension = env.string("EMBEDDING_DIMENSION") == nil ? nil : try env.int("EMBEDDING_DIMENSION", default: 384, range: 8...4096)
        self.localModelDirectory = env.string("LOCAL_MODEL_DIR").map { URL(fileURLWithPath: $0, isDirectory: true) }
        self.threads = try env.int("EMBEDDING_THREADS", default: 2, range: 1...64)
        self.geminiAPIKey = env.string("GEMINI_API_KEY")
        self.geminiModel = env.string("GEMINI_EMBEDDING_MODEL", default: "gemini-embedding-001")
        self.geminiBaseURL = try env.httpURL("GEMINI_BASE_URL") ?? GeminiEmbedder.defaultBaseURL
        self.openAIBaseURL = try env.httpURL("OPENAI_BASE_URL")
        self.openAIAPIKey = env.string("OPENAI_API_KEY")
        self.openAIModel = env.string("OPENAI_EMBEDDING_MODEL", default: "text-embedding-3-small")
        self.requestTimeout = try env.milliseconds("EMBEDDING_TIMEOUT_MS", default: .seconds(30), range: 100...600_000)
        switch provider {
        case .local where localModelDirectory == nil:
            throw ConfigurationError("LOCAL_MODEL_DIR", "is required when EMBEDDING_PROVIDER=local (scripts/model-dir prints one)")
        case .gemini where geminiAPIKey == nil:
            throw ConfigurationError("GEMINI_API_KEY", "is required when EMBEDDING_PROVIDER=gemini")
        case .openai where openAIBaseURL == nil:
            throw ConfigurationError("OPENAI_BASE_URL", "is required when EMBEDDING_PROVIDER=openai")
        case .openai where dimension == nil && OpenAIEmbedder.knownDimensions[openAIModel] == nil:
            throw OpenAIEmbedder.unknownDimension(model: openAIModel)
        default:
            break
        }
    }

    /// Builds the configured embedder; a missing or corrupt model is one clear error.
    public func makeEmbedder() throws -> any Embedder {
        switch provider {
        case .hash:
            return HashEmbedder(dimension: dimension ?? 384)
        case .local:
            return try MiniLMEmbedder(directory: localModelDirectory!, threads: threads)
        case .gemini, .openai:
            return try RemoteEmbedderFactory.make(self)
        }
    }
}

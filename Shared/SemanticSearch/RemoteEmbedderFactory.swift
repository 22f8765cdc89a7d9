import Embeddings
import ServiceKit

/// Builds the remote (Gemini, OpenAI-compatible) embedders from the parsed settings.
///
/// The embedders share one process-wide `HTTPClient`, so building one per service is cheap and keeps no
/// resource that needs shutting down.
enum RemoteEmbedderFactory {
    static func make(_ settings: EmbedderSettings) throws -> any Embedder {
        switch settings.provider {
        case .gemini:
            return try GeminiEmbedder(
                apiKey: settings.geminiAPIKey, model: settings.geminiModel, dimension: settings.dimension,
                baseURL: settings.geminiBaseURL, timeout: settings.requestTimeout)
        case .openai:
            guard let baseURL = settings.openAIBaseURL else {
                throw ConfigurationError("OPENAI_BASE_URL", "is required when EMBEDDING_PROVIDER=openai")
            }
            return try OpenAIEmbedder(
                baseURL: baseURL, apiKey: settings.openAIAPIKey, model: settings.openAIModel, dimension: settings.dimension,
                timeout: settings.requestTimeout)
        case .local, .hash:
            throw EmbeddingModelMismatch.unavailable("EMBEDDING_PROVIDER=\(settings.provider.rawValue) is not a remote provider")
        }
    }
}

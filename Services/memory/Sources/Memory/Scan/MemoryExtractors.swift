import AsyncHTTPClient

/// Builds the extractor `LLM_PROVIDER` names.
enum MemoryExtractors {
    static func make(_ settings: MemoryScanSettings, httpClient: HTTPClient = .shared) -> any MemoryExtractor {
        let http = LanguageModelHTTP(client: httpClient, timeout: settings.timeout)
        switch settings.provider {
        case .none:
            return RuleBasedExtractor()
        case .gemini:
            // MemoryScanSettings refuses to load without the key.
            return GeminiExtractor(http: http, baseURL: settings.geminiBaseURL, apiKey: settings.geminiAPIKey ?? "", model: settings.model)
        case .openai:
            return OpenAIChatExtractor(http: http, baseURL: settings.openAIBaseURL!, apiKey: settings.openAIAPIKey, model: settings.model)
        }
    }
}

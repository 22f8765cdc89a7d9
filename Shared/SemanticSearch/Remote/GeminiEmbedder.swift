public import Embeddings
public import Foundation
public import Logging
import NIOHTTP1

/// Embeddings from Google's Generative Language API (`models/{model}:batchEmbedContents`).
///
/// Every text is embedded as `RETRIEVAL_DOCUMENT` with `outputDimensionality` = the configured
/// dimension (768 unless `EMBEDDING_DIMENSION` says otherwise: Google's recommended size, and one
/// that pgvector's HNSW index, limited to 2000 dimensions, accepts). Gemini only normalises full
/// 3072-dimension vectors, so every vector is L2-normalised here. At most 100 texts go in one call
/// (the API's limit); larger inputs are split and sent a few batches at a time.
public struct GeminiEmbedder: Embedder {
    public static let defaultBaseURL = URL(string: "https://generativelanguage.googleapis.com")!
    public static let defaultModel = "gemini-embedding-001"
    /// The `outputDimensionality` sent when `EMBEDDING_DIMENSION` is unset.
    public static let defaultDimension = 768
    /// The API refuses more requests than this in one `batchEmbedContents` call.
    public static let maxBatchSize = 100
    /// Batches in flight at once for one `embed` call.
    static let concurrentBatches = 4

    public let model: EmbeddingModelInfo
    /// The model id without the `models/` prefix, e.g. `gemini-embedding-001`.
    let modelID: String
    /// `…/v1beta/models/{model}:batchEmbedContents`.
    let endpoint: String
    let client: EmbeddingAPIClient

    /// - Parameters:
    ///   - apiKey: `GEMINI_API_KEY`; sent in the `x-goog-api-key` header, never in the URL.
    ///   - baseURL: `GEMINI_BASE_URL`, with or without the trailing `/v1beta` (tests point it at a stub).
    ///   - timeout: the deadline of one attempt (`EMBEDDING_TIMEOUT_MS`).
    public init(
        apiKey: String?, model: String = GeminiEmbedder.defaultModel, dimension: Int? = nil,
        baseURL: URL = GeminiEmbedder.defaultBaseURL, timeout: Duration = .seconds(30), retry: RetrySchedule = .standard,
        logger: Logger = Logger(label: "apexflow.embeddings")
    ) throws(RemoteEmbedderError) {
        let modelID = model.hasPrefix("models/") ? String(model.dropFirst("models/".count)) : model
        let provider = "gemini/\(modelID)"
        guard let apiKey, !apiKey.isEmpty else { throw .missingAPIKey(provider: provider, variable: "GEMINI_API_KEY") }
        guard let root = RemoteEndpoint.root(of: baseURL, versionSuffixes: ["/v1beta", "/v1"], defaultVersion: "/v1beta") else {
            throw .invalidBaseURL(provider: provider, variable: "GEMINI_BASE_URL", url: baseURL.absoluteString)
        }
        self.modelID = modelID
        self.model = EmbeddingModelInfo(name: provider, dimension: dimension ?? Self.defaultDimension)
        self.endpoint = "\(root)/models/\(modelID):batchEmbedContents"
        self.client = EmbeddingAPIClient(
            provider: provider, headers: HTTPHeaders([("x-goog-api-key", apiKey)]), secret: apiKey,
            timeout: timeout, retry: retry, logger: logger)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        try await EmbeddingBatches.embed(texts, batchSize: Self.maxBatchSize, concurrency: Self.concurrentBatches) {
            try await self.embedBatch($0)
        }
    }

    /// One `batchEmbedContents` call for at most `maxBatchSize` texts.
    func embedBatch(_ texts: [String]) async throws -> [[Float]] {
        let request = BatchRequest(
            requests: texts.map {
                BatchRequest.Item(
                    model: "models/\(modelID)", content: .init(parts: [.init(text: $0)]),
                    taskType: "RETRIEVAL_DOCUMENT", outputDimensionality: model.dimension)
            })
        let answer = try await client.post(endpoint, body: try RemoteJSON.encode(request))
        let response: BatchResponse
        do {
            response = try JSONDecoder().decode(BatchResponse.self, from: answer)
        } catch {
            throw RemoteEmbedderError.malformedResponse(
                provider: model.name, reason: "not a batchEmbedContents answer (\(RemoteJSON.explain(error)))")
        }
        guard response.embeddings.count == texts.count else {
            throw RemoteEmbedderError.malformedResponse(
                provider: model.name, reason: "\(response.embeddings.count) embeddings for \(texts.count) texts")
        }
        return try response.embeddings.map { try UnitVector.checked($0.values, dimension: model.dimension, provider: model.name) }
    }
}

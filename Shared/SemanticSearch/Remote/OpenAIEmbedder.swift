public import Embeddings
public import Foundation
public import Logging
import NIOHTTP1
public import ServiceKit

/// Embeddings from an OpenAI-compatible `POST /v1/embeddings` (OpenAI itself, Azure's v1 API,
/// vLLM, Ollama, text-embeddings-inference, LiteLLM…).
///
/// The dimension must be known before the first call (the vector column is sized at start): it is
/// `EMBEDDING_DIMENSION` when set (and then also sent as `dimensions`, which the text-embedding-3
/// models honour), else the documented size of a known OpenAI model; any other model needs
/// `EMBEDDING_DIMENSION`. Answers are put back in input order by their `index`, and every vector
/// is L2-normalised (compatible servers do not all normalise). At most 256 inputs go in one call.
public struct OpenAIEmbedder: Embedder {
    public static let defaultModel = "text-embedding-3-small"
    public static let maxBatchSize = 256
    static let concurrentBatches = 4

    /// Sizes of OpenAI's embedding models, for when `EMBEDDING_DIMENSION` is unset.
    public static let knownDimensions: [String: Int] = [
        "text-embedding-3-small": 1536,
        "text-embedding-3-large": 3072,
        "text-embedding-ada-002": 1536,
    ]

    /// The start-up error for a model whose size neither `EMBEDDING_DIMENSION` nor the table gives.
    public static func unknownDimension(model: String) -> ConfigurationError {
        ConfigurationError(
            "EMBEDDING_DIMENSION",
            "is required for OPENAI_EMBEDDING_MODEL=\(model): its vector size is not known "
                + "(known: text-embedding-3-small 1536, text-embedding-3-large 3072, text-embedding-ada-002 1536)")
    }

    public let model: EmbeddingModelInfo
    let modelID: String
    /// Sent as `dimensions` only when configured: older models and many servers reject it.
    let requestedDimension: Int?
    /// `…/v1/embeddings`.
    let endpoint: String
    let client: EmbeddingAPIClient

    /// - Parameters:
    ///   - baseURL: `OPENAI_BASE_URL`, with or without the trailing `/v1`.
    ///   - apiKey: `OPENAI_API_KEY`, sent as a bearer token when set (local servers need none).
    ///   - dimension: `EMBEDDING_DIMENSION`; required unless `model` is a known OpenAI model.
    /// - Throws: `ConfigurationError` naming `EMBEDDING_DIMENSION` for an unknown model without a
    ///   dimension; `RemoteEmbedderError.invalidBaseURL` for a base URL that is not http(s).
    public init(
        baseURL: URL, apiKey: String?, model: String = OpenAIEmbedder.defaultModel, dimension: Int? = nil,
        timeout: Duration = .seconds(30), retry: RetrySchedule = .standard,
        logger: Logger = Logger(label: "apexflow.embeddings")
    ) throws {
        let provider = "openai/\(model)"
        guard let size = dimension ?? Self.knownDimensions[model] else { throw Self.unknownDimension(model: model) }
        guard let root = RemoteEndpoint.root(of: baseURL, versionSuffixes: ["/v1"], defaultVersion: "/v1") else {
            throw RemoteEmbedderError.invalidBaseURL(provider: provider, variable: "OPENAI_BASE_URL", url: baseURL.absoluteString)
        }
        var headers = HTTPHeaders()
        if let apiKey, !apiKey.isEmpty {
            headers.add(name: "authorization", value: "Bearer \(apiKey)")
        }
        self.modelID = model
        self.model = EmbeddingModelInfo(name: provider, dimension: size)
        self.requestedDimension = dimension
        self.endpoint = "\(root)/embeddings"
        self.client = EmbeddingAPIClient(
            provider: provider, headers: headers, secret: apiKey, timeout: timeout, retry: retry, logger: logger)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        try await EmbeddingBatches.embed(texts, batchSize: Self.maxBatchSize, concurrency: Self.concurrentBatches) {
            try await self.embedBatch($0)
        }
    }

    /// One `/v1/embeddings` call for at most `maxBatchSize` texts.
    func embedBatch(_ texts: [String]) async throws -> [[Float]] {
        let request = EmbeddingsRequest(model: modelID, input: texts, dimensions: requestedDimension)
        let answer = try await client.post(endpoint, body: try RemoteJSON.encode(request))
        let response: EmbeddingsResponse
        do {
            response = try JSONDecoder().decode(EmbeddingsResponse.self, from: answer)
        } catch {
            throw RemoteEmbedderError.malformedResponse(
                provider: model.name, reason: "not an embeddings answer (\(RemoteJSON.explain(error)))")
        }
        let ordered = try inInputOrder(response.data, count: texts.count)
        return try ordered.map { try UnitVector.checked($0, dimension: model.dimension, provider: model.name) }
    }

    /// The vectors sorted by `index`, which must name every input exactly once (servers may answer
    /// out of order; a missing index everywhere means the list is already in order).
    func inInputOrder(_ items: [EmbeddingsResponse.Item], count: Int) throws(RemoteEmbedderError) -> [[Float]] {
        guard items.count == count else {
            throw .malformedResponse(provider: model.name, reason: "\(items.count) embeddings for \(count) inputs")
        }
        if items.allSatisfy({ $0.index == nil }) { return items.map(\.embedding) }
        var slots = [[Float]?](repeating: nil, count: count)
        for item in items {
            guard let index = item.index, slots.indices.contains(index), slots[index] == nil else {
                throw .malformedResponse(
                    provider: model.name, reason: "the indices do not name each of the \(count) inputs exactly once")
            }
            slots[index] = item.embedding
        }
        return slots.map { $0! }
    }
}

import AsyncHTTPClient
import Logging

extension EmbeddingAPIClient {
    /// The one HTTP client of every remote embedder in the process (created on first use, never
    /// shut down: it lives as long as the process, like `HTTPClient.shared`).
    ///
    /// It differs from `HTTPClient.shared` in two ways that matter here:
    /// - No redirects: a redirected POST would carry `x-goog-api-key` or `Authorization` to
    ///   whatever host the redirect names.
    /// - No hidden connection retries: `HTTPClient.shared` keeps re-dialling a refused connection
    ///   until the request deadline, so a stopped server cost a whole `EMBEDDING_TIMEOUT_MS` per
    ///   attempt; here a refused connection fails at once and `RetrySchedule` decides.
    static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10)),
            decompression: .enabled(limit: .ratio(25)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration,
            backgroundActivityLogger: Logger(label: "apexflow.embeddings.http"))
    }()
}

/// Why a remote embedding provider (Gemini, an OpenAI-compatible server) gave no vectors.
///
/// Every description is one line naming the provider and what to do; none ever contains the API
/// key (server messages are redacted before they are stored here), so it is safe to log and to
/// surface in a start-up failure.
public enum RemoteEmbedderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The API key variable the provider needs is not set.
    case missingAPIKey(provider: String, variable: String)
    /// A base URL that cannot be turned into the provider's endpoint.
    case invalidBaseURL(provider: String, variable: String, url: String)
    /// The server refused the request with a status that retrying cannot fix (400, 401, 403, 404…).
    case rejected(provider: String, status: Int, message: String)
    /// Every attempt failed with a transient problem (429, 5xx, connection error, timeout).
    case gaveUp(provider: String, attempts: Int, lastProblem: String)
    /// The answer was not the JSON the provider documents (or had the wrong number of vectors).
    case malformedResponse(provider: String, reason: String)
    /// A vector did not have the configured dimension.
    case wrongDimension(provider: String, expected: Int, received: Int)

    public var description: String {
        switch self {
        case let .missingAPIKey(provider, variable):
            return
                "\(provider) embeddings: \(variable) is not set (it is required when EMBEDDING_PROVIDER=\(provider.split(separator: "/").first ?? ""))"
        case let .invalidBaseURL(provider, variable, url):
            return "\(provider) embeddings: \(variable) \"\(url)\" is not a usable http:// or https:// base URL"
        case let .rejected(provider, status, message):
            return "\(provider) embeddings: the server refused the request with HTTP \(status)"
                + (message.isEmpty ? "" : ": \(message)")
        case let .gaveUp(provider, attempts, lastProblem):
            return "\(provider) embeddings: gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"); last problem: \(lastProblem)"
        case let .malformedResponse(provider, reason):
            return "\(provider) embeddings: malformed response: \(reason)"
        case let .wrongDimension(provider, expected, received):
            return "\(provider) embeddings: the server returned a vector of \(received) dimensions, expected \(expected) "
                + "(check EMBEDDING_DIMENSION and the model name)"
        }
    }
}

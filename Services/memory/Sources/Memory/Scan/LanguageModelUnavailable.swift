/// The language model could not be reached or answered with an error status (timeouts,
/// refused connections, 401/403, 429, 5xx): the scan stops and answers 503.
struct LanguageModelUnavailable: Error, CustomStringConvertible {
    let reason: String
    var description: String { "language model unavailable: \(reason)" }
}

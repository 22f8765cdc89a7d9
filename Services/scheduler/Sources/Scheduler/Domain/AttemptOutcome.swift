public import ApexProtocol

/// How one attempt of a task ended.
///
/// `retryable` failures (a 5xx, a timeout, a refused connection) are tried again with backoff
/// while attempts remain; the others (a host no longer allowed, no agent runner configured, a
/// 4xx from memory) cannot succeed by waiting, so the task goes straight to `dead`.
public enum AttemptOutcome: Sendable, Equatable {
    case succeeded(JSONObject)
    case failed(String, retryable: Bool)

    public static func retryable(_ message: String) -> AttemptOutcome { .failed(message, retryable: true) }
    public static func permanent(_ message: String) -> AttemptOutcome { .failed(message, retryable: false) }
}

/// How often and how patiently a remote embedding call is retried.
///
/// Exponential backoff with "equal jitter": the wait before retry n is uniformly drawn from
/// `[d/2, d]` with `d = min(maxDelay, baseDelay · 2^(n-1))`, so that replicas that were throttled
/// together do not come back together. A server's `Retry-After` replaces the computed wait, unless
/// it asks for longer than `maxRetryAfter`: then waiting would outlast any caller, and the call
/// fails at once.
public struct RetrySchedule: Sendable, Equatable {
    /// Total attempts, the first one included (at least 1).
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(30)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Four attempts, waits of about 0.5 s, 1 s and 2 s between them.
    public static let standard = RetrySchedule()

    /// The wait before the attempt following `attempt` (1-based), or nil when the server asked
    /// for a longer pause than this schedule accepts.
    func delay(after attempt: Int, retryAfter: Duration?, random: Double = Double.random(in: 0...1)) -> Duration? {
        if let retryAfter {
            return retryAfter <= maxRetryAfter ? max(retryAfter, .zero) : nil
        }
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return ceiling * (0.5 + 0.5 * min(max(random, 0), 1))
    }
}

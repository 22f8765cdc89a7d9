/// Exponential backoff with full jitter for retrying failed task attempts.
///
/// After attempt `n` (1-based) the delay is uniform in `[0, min(cap, base · 2^(n-1))]`:
/// by default base 2 s, doubling per attempt, capped at 10 minutes. Large `n` saturates at the
/// cap without overflowing. Delays have nanosecond resolution.
public struct RetryBackoff: Sendable, Hashable {
    public let base: Duration
    public let cap: Duration

    /// Base 2 s, cap 10 min.
    public static let standard = RetryBackoff()

    /// Negative durations are treated as zero; a cap below the base caps every delay.
    public init(base: Duration = .seconds(2), cap: Duration = .seconds(600)) {
        self.base = base
        self.cap = cap
    }

    /// The upper end of the delay after attempt `n`: `min(cap, base · 2^(n-1))`; attempts below 1
    /// count as 1.
    public func maximumDelay(afterAttempt attempt: Int) -> Duration {
        .nanoseconds(maximumNanoseconds(afterAttempt: attempt))
    }

    /// A uniformly random delay in `[0, maximumDelay(afterAttempt: attempt)]`.
    public func delay(afterAttempt attempt: Int, random: inout some RandomNumberGenerator) -> Duration {
        let upper = maximumNanoseconds(afterAttempt: attempt)
        guard upper > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...upper, using: &random))
    }

    func maximumNanoseconds(afterAttempt attempt: Int) -> Int64 {
        let baseNanos = Self.nanoseconds(base)
        let capNanos = Self.nanoseconds(cap)
        let doublings = max(attempt, 1) - 1
        // base · 2^doublings, saturating at the cap (no overflow for any attempt number).
        guard baseNanos > 0 else { return 0 }
        if doublings >= 62 || baseNanos > (capNanos >> Int64(doublings)) { return capNanos }
        return min(capNanos, baseNanos << Int64(doublings))
    }

    /// Whole nanoseconds of a duration, clamped to `0...Int64.max`.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? .max : max(total, 0)
    }
}

import Foundation
import HTTPTypes
import ServiceKit
import Synchronization

/// Token buckets by key (a user id, or a client IP for requests without a valid token).
///
/// Each key may spend `burst` requests at once and regains `ratePerSecond` per second. Limits are
/// per gateway instance: with N instances a user may reach N times the rate (README). Idle buckets
/// are forgotten so the table stays small.
final class TokenBucketLimiter: Sendable {
    struct Decision: Sendable {
        let allowed: Bool
        let remaining: Int
        /// Seconds until one token is available (for `Retry-After`) or the bucket is full again.
        let retryAfter: Int
        let resetAfter: Int
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let ratePerSecond: Double
    let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(ratePerSecond: Double, burst: Double) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
    }

    func take(_ key: String, now: ContinuousClock.Instant = .now) -> Decision {
        buckets.withLock { buckets in
            if buckets.count > 100_000 { Self.prune(&buckets, now: now, rate: ratePerSecond, burst: burst) }
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double((now - bucket.updated) / .milliseconds(1)) / 1000
            bucket.tokens = min(burst, bucket.tokens + elapsed * ratePerSecond)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            let missing = max(0, 1 - bucket.tokens)
            return Decision(
                allowed: allowed, remaining: Int(bucket.tokens.rounded(.down)),
                retryAfter: allowed ? 0 : max(1, Int((missing / ratePerSecond).rounded(.up))),
                resetAfter: Int(((burst - bucket.tokens) / ratePerSecond).rounded(.up)))
        }
    }

    /// `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` after `decision`.
    ///
    /// The last two change from one answer to the next, so HPACK keeps them out of its dynamic
    /// table (as `X-Request-ID`, see `setUnindexed`): there each answer's own value pushed out
    /// the entries that do repeat.
    func headers(after decision: Decision) -> HTTPFields {
        var headers = HTTPFields()
        headers.reserveCapacity(3)
        headers.append(HTTPField(name: .rateLimitLimit, value: String(Int(burst))))
        var remaining = HTTPField(name: .rateLimitRemaining, value: String(decision.remaining))
        remaining.indexingStrategy = .avoid
        headers.append(remaining)
        var reset = HTTPField(name: .rateLimitReset, value: String(decision.resetAfter))
        reset.indexingStrategy = .avoid
        headers.append(reset)
        return headers
    }

    /// The bucket of an authenticated user.
    static func key(for user: AuthenticatedUser) -> String { "user:" + user.id }

    private static func prune(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant, rate: Double, burst: Double) {
        let full = Duration.seconds(burst / rate)
        buckets = buckets.filter { now - $0.value.updated < full }
    }
}

import Synchronization

/// Tokens that passed verification, each kept with what it proved until its `exp`.
///
/// A caller sends the same token many times: the gateway gets one Firebase ID token per user
/// session, and a backend gets the same internal identity token from the caller's
/// ``MintedTokenCache`` for 10 s. Checking a signature (RS256 or HS256) and decoding the claims
/// again each time cost the gateway most of its CPU per request and a backend about 8 % of its
/// own. Entries are keyed by the whole token (header, claims and signature), so a hit is exactly
/// a token that verified before; expiry is still checked on every hit. Bounded: when full, it is
/// emptied (cheap, and the next requests simply verify again).
///
/// The key hashes only the token's last 32 bytes, the end of its signature (``TokenKey``):
/// hashing a whole Firebase ID token (about 900 bytes) was about 2 % of the gateway's CPU per
/// forwarded request. Equality still compares whole tokens.
public final class VerifiedTokenCache<Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let expires: Int64
    }

    private let entries = Mutex<[TokenKey: Entry]>([:])
    public let capacity: Int

    public init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// What `token` proved when it verified, unless it has expired since (`exp` ≤ `now` − `leeway`).
    public func value(for token: String, now: Int64, leeway: Int64) -> Value? {
        let key = TokenKey(token)
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now - leeway else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    public func store(_ value: Value, for token: String, expires: Int64) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[TokenKey(token)] = Entry(value: value, expires: expires)
        }
    }

    /// How many tokens are held (for tests).
    public var count: Int { entries.withLock { $0.count } }
}

import ApexProtocol
import Foundation
import Synchronization

/// Internal identity tokens already minted for one audience, reused while they have most of
/// their life left.
///
/// A token is a pure function of (subject, audience, issue second), so minting one per call
/// (JSON, HMAC, base64) is work the gateway repeated for every proxied request of a user. A token
/// is handed out again only while at least `minimumRemaining` seconds of its lifetime are
/// left, so a receiver's `exp` check (with its 5 s leeway) never sees it expire in flight.
/// Bounded: when `capacity` subjects are held the cache starts over.
final class MintedTokenCache: Sendable {
    private struct Entry {
        let token: String
        let expires: Int64
    }

    private let identity: InternalIdentity
    private let audience: ServiceName
    private let lifetime: Int64
    private let minimumRemaining: Int64
    private let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(identity: InternalIdentity, audience: ServiceName, lifetime: Int64 = 30, minimumRemaining: Int64 = 20, capacity: Int = 10_000) {
        self.identity = identity
        self.audience = audience
        self.lifetime = lifetime
        self.minimumRemaining = minimumRemaining
        self.capacity = capacity
    }

    func token(for subject: String, now: Date = Date()) -> String {
        let second = Int64(now.timeIntervalSince1970)
        if let entry = entries.withLock({ $0[subject] }), entry.expires - second >= minimumRemaining {
            return entry.token
        }
        let token = identity.mint(for: subject, audience: audience, lifetime: lifetime, now: now)
        let entry = Entry(token: token, expires: second + min(lifetime, InternalIdentity.maximumLifetime))
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[subject] = entry
        }
        return token
    }
}

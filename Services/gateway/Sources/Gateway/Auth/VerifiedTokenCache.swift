import ServiceKit
import Synchronization

/// ID tokens that passed verification, kept until their `exp`.
///
/// Keyed by the whole token (header, claims and signature), so a hit is exactly a token that
/// verified before; expiry is still checked on every hit. Bounded: when full, it is emptied
/// (cheap, and the next requests simply verify again).
final class VerifiedTokenCache: Sendable {
    private struct Entry {
        let user: AuthenticatedUser
        let expires: Int64
    }

    private let entries = Mutex<[String: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    func user(for token: String, now: Int64, leeway: Int64) -> AuthenticatedUser? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expires > now - leeway else {
                entries[token] = nil
                return nil
            }
            return entry.user
        }
    }

    func store(_ user: AuthenticatedUser, for token: String, expires: Int64) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(user: user, expires: expires)
        }
    }
}

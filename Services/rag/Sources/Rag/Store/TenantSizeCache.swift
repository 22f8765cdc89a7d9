import Foundation
import Synchronization

/// How many chunks each user has, remembered for a while.
///
/// Search picks its plan by tenant size: an exact scan for small tenants (every vector compared;
/// cheaper than walking a filtered HNSW graph, and recall 1.0), the HNSW index with iterative
/// scan for large ones. Counting on every search would cost more than the search, so counts are
/// cached for a minute and adjusted in place by this process's own ingests and deletes.
final class TenantSizeCache: Sendable {
    private struct Entry {
        var count: Int
        var measuredAt: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    let maximumAge: Duration

    init(maximumAge: Duration = .seconds(60)) {
        self.maximumAge = maximumAge
    }

    /// The cached count, or nil when absent or stale.
    func count(for userID: String) -> Int? {
        entries.withLock { entries in
            guard let entry = entries[userID], ContinuousClock.now - entry.measuredAt < maximumAge else { return nil }
            return entry.count
        }
    }

    func record(_ count: Int, for userID: String) {
        entries.withLock { $0[userID] = Entry(count: count, measuredAt: .now) }
    }

    func add(_ delta: Int, for userID: String) {
        entries.withLock { entries in
            guard var entry = entries[userID] else { return }
            entry.count = max(0, entry.count + delta)
            entries[userID] = entry
        }
    }
}

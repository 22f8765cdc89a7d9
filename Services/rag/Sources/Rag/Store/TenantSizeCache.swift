import Foundation
import Synchronization

/// How many chunks each user has and whether they are in the HNSW graph, remembered for a while.
///
/// Search picks its plan from these: an exact scan for small tenants (every vector compared;
/// cheaper than walking a filtered HNSW graph, and recall 1.0) and for tenants still being moved
/// into the graph, the HNSW index with iterative scan for large ones in it. Looking them up on
/// every search would cost more than the search, so they are cached for a minute and adjusted in
/// place by this process's own ingests, deletes and promotions.
final class TenantSizeCache: Sendable {
    private struct Entry {
        var size: TenantSize
        var measuredAt: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    let maximumAge: Duration

    init(maximumAge: Duration = .seconds(60)) {
        self.maximumAge = maximumAge
    }

    /// The cached size, or nil when absent or stale.
    func size(for userID: String) -> TenantSize? {
        entries.withLock { entries in
            guard let entry = entries[userID], ContinuousClock.now - entry.measuredAt < maximumAge else { return nil }
            return entry.size
        }
    }

    func record(_ size: TenantSize, for userID: String) {
        entries.withLock { $0[userID] = Entry(size: size, measuredAt: .now) }
    }

    func add(_ delta: Int, for userID: String) {
        entries.withLock { entries in
            guard var entry = entries[userID] else { return }
            entry.size.chunks = max(0, entry.size.chunks + delta)
            entries[userID] = entry
        }
    }

    /// The promoter finished moving this tenant into the graph.
    func markInGraph(_ userID: String) {
        entries.withLock { entries in
            guard var entry = entries[userID] else { return }
            entry.size.inGraph = true
            entries[userID] = entry
        }
    }
}

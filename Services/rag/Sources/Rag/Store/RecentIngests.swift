import Synchronization

/// The tenants this replica stored chunks for since the promoter last looked: the only ones
/// whose size can have crossed `SEARCH_EXACT_MAX_CHUNKS` because of this replica. The promoter's
/// regular round counts just these, instead of every chunk outside the graph.
final class RecentIngests: Sendable {
    private let users = Mutex<Set<String>>([])

    func record(_ userID: String) {
        _ = users.withLock { $0.insert(userID) }
    }

    /// The tenants recorded since the last call, and forgets them.
    func drain() -> [String] {
        users.withLock { users in
            defer { users.removeAll(keepingCapacity: true) }
            return users.sorted()
        }
    }
}

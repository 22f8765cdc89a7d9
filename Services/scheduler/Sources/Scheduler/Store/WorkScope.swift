/// Whose work a system pass (tick, workers, lease reclaim) takes on.
///
/// Production passes take everyone's (`allUsers`). Tests and benchmarks share one database with
/// other tests running at the same time, so their tickers and workers are confined to the users
/// they created; the restriction is one extra predicate, `user_id = ANY(...)`.
public enum WorkScope: Sendable, Equatable {
    case allUsers
    case users([String])

    /// The bind for `(cardinality($n::text[]) = 0 OR user_id = ANY($n::text[]))`.
    var userFilter: [String] {
        switch self {
        case .allUsers: []
        case .users(let users): users.isEmpty ? [""] : users  // '' matches nobody: user_id is never empty
        }
    }
}

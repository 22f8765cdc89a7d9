import Synchronization

/// Who won the race between a connection being lent and the acquire timer: exactly one of
/// them, so a body never runs after the caller was answered `DatabaseUnavailable`.
final class LeaseOutcome: Sendable {
    private static let waiting = 0
    private static let connected = 1
    private static let timedOut = 2
    private let state = Atomic<Int>(LeaseOutcome.waiting)

    /// True when the connection came first; the body may run.
    func claimConnection() -> Bool {
        state.compareExchange(expected: Self.waiting, desired: Self.connected, ordering: .sequentiallyConsistent).exchanged
    }

    /// True when the timer came first; the caller gets `DatabaseUnavailable`.
    func claimTimeout() -> Bool {
        state.compareExchange(expected: Self.waiting, desired: Self.timedOut, ordering: .sequentiallyConsistent).exchanged
    }

    /// Whether the timer came first.
    var timedOut: Bool { state.load(ordering: .sequentiallyConsistent) == Self.timedOut }
}

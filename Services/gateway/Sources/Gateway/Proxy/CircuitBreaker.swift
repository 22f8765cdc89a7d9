import Synchronization

/// Stops calling an upstream that keeps failing, and tries it again after a cool-down.
///
/// Closed: calls flow, consecutive failures are counted. After `failureThreshold` of them the
/// circuit opens: calls are refused at once (503) for `coolDown`, sparing the upstream and the
/// caller's wait. Then one probe call is let through (half-open); its success closes the circuit,
/// its failure opens it again.
final class CircuitBreaker: Sendable {
    enum State: Sendable, Equatable { case closed, open, halfOpen }

    private struct Status {
        var state: State = .closed
        var consecutiveFailures = 0
        var openedAt: ContinuousClock.Instant?
        var probeInFlight = false
    }

    let failureThreshold: Int
    let coolDown: Duration
    private let status = Mutex(Status())

    init(failureThreshold: Int, coolDown: Duration) {
        self.failureThreshold = failureThreshold
        self.coolDown = coolDown
    }

    var state: State { status.withLock { $0.state } }

    /// Whether a call may go out now.
    func allow(now: ContinuousClock.Instant = .now) -> Bool {
        status.withLock { status in
            switch status.state {
            case .closed:
                return true
            case .open:
                guard let openedAt = status.openedAt, now - openedAt >= coolDown else { return false }
                status.state = .halfOpen
                status.probeInFlight = true
                return true
            case .halfOpen:
                if status.probeInFlight { return false }
                status.probeInFlight = true
                return true
            }
        }
    }

    func recordSuccess() {
        status.withLock { $0 = Status() }
    }

    func recordFailure(now: ContinuousClock.Instant = .now) {
        status.withLock { status in
            status.consecutiveFailures += 1
            status.probeInFlight = false
            if status.state == .halfOpen || status.consecutiveFailures >= failureThreshold {
                status.state = .open
                status.openedAt = now
            }
        }
    }
}

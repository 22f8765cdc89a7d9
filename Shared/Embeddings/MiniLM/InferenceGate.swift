import Synchronization

/// Lets one encoder pass run at a time and decides who goes next: waiting interactive passes
/// (small requests such as a search query) before waiting bulk passes (ingestion), each lane
/// in arrival order. A query therefore waits for at most the pass already running, however
/// long the ingest queue is, and concurrent requests queue instead of oversubscribing the CPU.
final class InferenceGate: Sendable {
    private struct State {
        var busy = false
        var interactive: [CheckedContinuation<Void, Never>] = []
        var bulk: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Suspends until the caller may run a pass; pair with `release()`.
    func acquire(interactive: Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let runNow = state.withLock { state -> Bool in
                if !state.busy {
                    state.busy = true
                    return true
                }
                if interactive {
                    state.interactive.append(continuation)
                } else {
                    state.bulk.append(continuation)
                }
                return false
            }
            if runNow {
                continuation.resume()
            }
        }
    }

    /// Ends the caller's pass and starts the next waiting one, if any.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if !state.interactive.isEmpty { return state.interactive.removeFirst() }
            if !state.bulk.isEmpty { return state.bulk.removeFirst() }
            state.busy = false
            return nil
        }
        next?.resume()
    }

    /// Passes waiting to run (for metrics).
    var waiting: Int {
        state.withLock { $0.interactive.count + $0.bulk.count }
    }
}

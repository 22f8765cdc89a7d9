import Synchronization

/// Set by a call's deadline timer on the event loop, read by the call when its stream closes:
/// it tells a deadline from any other closed stream.
final class DeadlineFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { flag.load(ordering: .sequentiallyConsistent) }
}

import Synchronization

/// Failed requests, counted from many tasks at once.
final class ErrorCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

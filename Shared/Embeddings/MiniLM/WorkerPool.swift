import Dispatch
import Synchronization

/// Runs loops on at most `width` threads (the calling thread included): the bound on the CPU
/// an embedding pass may use. Tasks are handed out dynamically, so a worker slowed down by other
/// load on the machine takes fewer of them.
final class WorkerPool: Sendable {
    let width: Int

    init(width: Int) {
        self.width = max(1, width)
    }

    /// Calls `body(task, worker)` for every task in `0 ..< count`; `worker` is in `0 ..< width`
    /// and no two concurrent calls share one, so it can index per-worker scratch memory.
    func run(_ count: Int, _ body: @Sendable (_ task: Int, _ worker: Int) -> Void) {
        if count <= 0 { return }
        let workers = min(width, count)
        if workers == 1 {
            for task in 0..<count { body(task, 0) }
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let task = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if task >= count { break }
                body(task, worker)
            }
        }
    }
}

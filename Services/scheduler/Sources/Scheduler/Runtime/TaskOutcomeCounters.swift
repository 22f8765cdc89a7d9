@preconcurrency import Prometheus
import ServiceKit

/// `apex_scheduler_task_attempts_total{outcome}`: succeeded, failed (retry scheduled), dead.
struct TaskOutcomeCounters: Sendable {
    let succeeded: Counter?
    let failed: Counter?
    let dead: Counter?

    init(metrics: ServiceMetrics?) {
        func counter(_ outcome: String) -> Counter? {
            metrics?.counter("scheduler_task_attempts", help: "Task attempts recorded, by outcome", labels: [("outcome", outcome)])
        }
        succeeded = counter("succeeded")
        failed = counter("failed")
        dead = counter("dead")
    }

    func count(_ finished: [FinishedTask]) {
        for task in finished {
            switch task.status {
            case .succeeded: succeeded?.increment()
            case .dead: dead?.increment()
            default: failed?.increment()
            }
        }
    }
}

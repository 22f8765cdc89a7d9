@preconcurrency import Prometheus
import ServiceKit

/// `apex_scheduler_slots_total{outcome}`: slots claimed (a run started) or recorded as skipped.
struct TickCounters: Sendable {
    let claimed: Counter?
    let skipped: Counter?

    init(metrics: ServiceMetrics?) {
        claimed = metrics?.counter("scheduler_slots", help: "Job slots claimed by ticks, by outcome", labels: [("outcome", "claimed")])
        skipped = metrics?.counter("scheduler_slots", help: "Job slots claimed by ticks, by outcome", labels: [("outcome", "skipped")])
    }
}

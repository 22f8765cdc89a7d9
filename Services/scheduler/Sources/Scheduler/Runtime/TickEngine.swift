public import ApexProtocol
public import Foundation
public import Logging
public import ServiceKit

/// One scheduling pass: claims every due slot, batch after batch, until nothing is due.
///
/// Safe to run any number of times at once, in one process or many: see `PostgresTickStore`.
public struct TickEngine: Sendable {
    let store: any TickStore
    let batchSize: Int
    let maxAttempts: Int
    let scope: WorkScope
    let logger: Logger
    let schedules: ScheduleCache
    let counters: TickCounters

    /// Batches one pass runs at most, so one pass cannot run away (10,000 jobs at the default size
    /// take 20 batches).
    static let maximumBatches = 1_000

    public init(
        store: any TickStore, batchSize: Int, maxAttempts: Int, scope: WorkScope, logger: Logger, metrics: ServiceMetrics? = nil
    ) {
        self.store = store
        self.batchSize = batchSize
        self.maxAttempts = maxAttempts
        self.scope = scope
        self.logger = logger
        self.schedules = ScheduleCache()
        self.counters = TickCounters(metrics: metrics)
    }

    public func tick(now: Date) async throws -> TickResponse {
        var total = TickResponse(claimed: 0, skipped: 0)
        let schedules = self.schedules
        let logger = self.logger
        for _ in 0..<Self.maximumBatches {
            let batch = try await store.claimDueSlots(now: now, limit: batchSize, maxAttempts: maxAttempts, scope: scope) { due in
                Self.decide(due, now: now, schedules: schedules, logger: logger)
            }
            total.claimed += batch.claimed
            total.skipped += batch.skipped
            counters.claimed?.increment(by: Int64(batch.claimed))
            counters.skipped?.increment(by: Int64(batch.skipped))
            if batch.examined < batchSize { break }
        }
        return total
    }

    /// The slot to claim for a due job, or its corrected next run. A stored schedule that no
    /// longer parses (a parser change) stops the job firing rather than failing the whole tick.
    static func decide(_ due: DueJob, now: Date, schedules: ScheduleCache, logger: Logger) -> DueJobDecision {
        guard let schedule = schedules.schedule(expression: due.cronExpression, timezone: due.timezone) else {
            logger.error("a stored job schedule no longer parses; the job stops firing", metadata: ["job_id": "\(due.id)"])
            return .reschedule(nil)
        }
        if let plan = TickPlan.make(jobID: due.id, schedule: schedule, nextRun: due.nextRun, now: now) {
            return .claim(plan)
        }
        return .reschedule(schedule.nextRun(after: now))
    }
}

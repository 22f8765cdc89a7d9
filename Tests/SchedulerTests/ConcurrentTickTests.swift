import ApexProtocol
import ApexTestSupport
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

@testable import Scheduler

/// Exactly once across replicas: four tickers on four database clients, 200 due jobs, a fake
/// clock sweeping through seventeen minutes of slots (one five-minute stretch unticked) in about a
/// second.
@Suite("Concurrent ticks")
struct ConcurrentTickTests {
    static let expressions = ["* * * * *", "*/2 * * * *", "*/3 * * * *", "1-59/4 * * * *"]
    static let zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]

    @Test func fourTickersClaimEverySlotOnce() async throws {
        let user = SchedulerTestApp.newUser()
        let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let clock = FakeClock(start)
        let logger = SchedulerTestDatabase.logger

        try await SchedulerTestDatabase.withMigrated { database in
            let jobs = PostgresJobStore(database: database, logger: logger)
            var created: [(UUID, JobSchedule)] = []
            for index in 0..<200 {
                let expression = Self.expressions[index % Self.expressions.count]
                let zone = Self.zones[(index / Self.expressions.count) % Self.zones.count]
                let schedule = try JobSchedule.validated(expression: expression, timezone: zone).get()
                let job = try await jobs.create(
                    JobDraft(
                        name: "job \(index)", cronExpression: expression, timezone: zone, action: .notify(title: "t", body: ""),
                        enabled: true, metadata: [:], nextRun: schedule.nextRun(after: start)),
                    for: user)
                created.append((UUID(uuidString: job.id)!, schedule))
            }

            // Four "replicas": each its own connection pool and tick loop, all reading the fake clock.
            let loop = TickLoopState()

            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await TestDatabase.withDatabase { replica in
                            let engine = TickEngine(
                                store: PostgresTickStore(database: replica, logger: logger), batchSize: 64, maxAttempts: 3,
                                scope: .users([user]), logger: logger)
                            while !loop.stop.load(ordering: .relaxed) {
                                do {
                                    _ = try await engine.tick(now: clock.now)
                                    loop.ticks.add(1, ordering: .relaxed)
                                } catch {
                                    loop.failures.withLock { $0.append(String(reflecting: error)) }
                                }
                            }
                        }
                    }
                }
                // Runs finish now and then, as workers would: later slots are claimed, not skipped.
                group.addTask {
                    while !loop.stop.load(ordering: .relaxed) {
                        try await SchedulerTestDatabase.execute(
                            "UPDATE scheduler.job_runs SET status = 'completed', completed_at = now() WHERE user_id = \(user) AND status = 'running' AND random() < 0.5",
                            on: database)
                        try await Task.sleep(for: .milliseconds(15))
                    }
                }
                // Seventeen simulated minutes in ten-second steps, with one five-minute jump in the
                // middle (a stretch nobody ticked through: those slots must coalesce, not vanish).
                // The clock moves only once some replica has ticked since its last move, so every
                // stretch of simulated time is ticked through however slow the machine is.
                for step in 0..<72 {
                    let seen = loop.ticks.load(ordering: .relaxed)
                    try await Task.sleep(for: .milliseconds(8))
                    while loop.ticks.load(ordering: .relaxed) == seen, loop.failures.withLock({ $0.isEmpty }) {
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    clock.advance(by: step == 36 ? 300 : 10)
                }
                loop.stop.store(true, ordering: .relaxed)
                try await group.waitForAll()
            }
            #expect(loop.failures.withLock { $0 }.isEmpty, "tick errors: \(loop.failures.withLock { $0.prefix(3) })")
            #expect(loop.ticks.load(ordering: .relaxed) > 20)

            // A last pass at the final instant, then every slot up to it must be accounted for.
            let end = clock.now
            _ = try await TickEngine(
                store: PostgresTickStore(database: database, logger: logger), batchSize: 64, maxAttempts: 3,
                scope: .users([user]), logger: logger
            ).tick(now: end)

            let duplicates = try await SchedulerTestDatabase.values(
                """
                SELECT count(*) FROM (
                    SELECT job_id, scheduled_for FROM scheduler.job_runs WHERE user_id = \(user)
                    GROUP BY job_id, scheduled_for HAVING count(*) > 1) d
                """, as: Int64.self, on: database)
            #expect(duplicates == [0])

            // Each run stands for itself plus the slots it says were missed; together they must be
            // exactly the schedule's slots in (start, end], each run on a real slot.
            let rows = try await database.withTransaction(.system) { connection in
                var runs: [UUID: [(Date, Int, String)]] = [:]
                let result = try await connection.query(
                    """
                    SELECT job_id, scheduled_for, COALESCE((output ->> 'missed_slots')::int, 0), status
                    FROM scheduler.job_runs WHERE user_id = \(user)
                    """, logger: logger)
                for try await (job, slot, missed, status) in result.decode((UUID, Date, Int, String).self) {
                    runs[job, default: []].append((slot, missed, status))
                }
                return runs
            }
            var lost = 0
            var extra = 0
            var offSlot = 0
            var runCount = 0
            var statuses: Set<String> = []
            var coalesced = 0
            for (id, schedule) in created {
                let expected = schedule.cron.occurrenceCount(after: start, through: end, in: schedule.timeZone)
                let runs = rows[id] ?? []
                runCount += runs.count
                let accounted = runs.reduce(0) { $0 + 1 + $1.1 }
                if accounted < expected { lost += expected - accounted }
                if accounted > expected { extra += accounted - expected }
                for (slot, missed, status) in runs {
                    statuses.insert(status)
                    if missed > 0 { coalesced += 1 }
                    let previous = Date(timeIntervalSince1970: slot.timeIntervalSince1970 - 1)
                    if schedule.nextRun(after: previous) != slot { offSlot += 1 }
                }
            }
            #expect(lost == 0, "slots lost")
            #expect(extra == 0, "slots counted twice")
            #expect(offSlot == 0, "runs on instants that are not slots")
            #expect(runCount >= 200 * 3, "too few runs: the fake clock did not cover several slots")
            #expect(coalesced >= 50, "the five-minute jump should have coalesced the every-minute jobs' slots")
            #expect(statuses.isSuperset(of: ["running", "skipped"]) || statuses.contains("completed"))

            // Every job's next run is its first slot after the end.
            let nextRuns = try await database.withTransaction(.user(user)) { connection in
                var next: [UUID: Date] = [:]
                let result = try await connection.query("SELECT id, next_run FROM scheduler.jobs WHERE user_id = \(user)", logger: logger)
                for try await (id, run) in result.decode((UUID, Date).self) { next[id] = run }
                return next
            }
            for (id, schedule) in created {
                #expect(nextRuns[id] == schedule.nextRun(after: end))
            }
        }
    }
}

/// What the tick loops share: a stop flag, a tick count, the errors they met.
final class TickLoopState: Sendable {
    let stop = Atomic<Bool>(false)
    let ticks = Atomic<Int>(0)
    let failures = Mutex<[String]>([])
}

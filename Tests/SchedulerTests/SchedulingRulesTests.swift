import ApexProtocol
import Foundation
import ServiceKit
import Testing

@testable import Scheduler

/// The pure rules around the cron engine: what a tick claims, what a job may be, which hosts an
/// `http` action may call, what a cursor may be.
@Suite("Scheduling rules")
struct SchedulingRulesTests {
    static let utc = TimeZone(identifier: "UTC")!

    func date(_ text: String) -> Date { ApexJSON.parseDate(text)! }

    func schedule(_ expression: String, _ zone: String = "UTC") throws -> JobSchedule {
        try JobSchedule.validated(expression: expression, timezone: zone).get()
    }

    @Test func aDueSlotIsClaimedAndTheNextRunMovesPastNow() throws {
        let plan = try #require(
            TickPlan.make(
                jobID: UUID(), schedule: try schedule("*/5 * * * *"), nextRun: date("2026-03-01T10:05:00Z"),
                now: date("2026-03-01T10:05:30Z")))
        #expect(plan.slot == date("2026-03-01T10:05:00Z"))
        #expect(plan.missedSlots == 0)
        #expect(plan.missedSlotsOutput == nil)
        #expect(plan.nextRun == date("2026-03-01T10:10:00Z"))
    }

    @Test func missedSlotsCoalesceIntoTheLatestAndAreCounted() throws {
        // Nothing ticked from 10:05 to 10:31: 10:05 … 10:30 are due, the latest runs for all six.
        let plan = try #require(
            TickPlan.make(
                jobID: UUID(), schedule: try schedule("*/5 * * * *"), nextRun: date("2026-03-01T10:05:00Z"),
                now: date("2026-03-01T10:31:00Z")))
        #expect(plan.slot == date("2026-03-01T10:30:00Z"))
        #expect(plan.missedSlots == 5)
        #expect(plan.missedSlotsOutput == ["missed_slots": 5])
        #expect(plan.nextRun == date("2026-03-01T10:35:00Z"))
    }

    @Test func nothingIsDueBeforeTheSlot() throws {
        #expect(
            TickPlan.make(
                jobID: UUID(), schedule: try schedule("0 * * * *"), nextRun: date("2026-03-01T11:00:00Z"), now: date("2026-03-01T10:59:59Z")
            ) == nil)
    }

    @Test func aSpringForwardGapRunsOnceInItsZone() throws {
        // 02:30 does not exist in New York on 2026-03-08: the slot fires once, at 03:00 EDT (07:00Z).
        let plan = try #require(
            TickPlan.make(
                jobID: UUID(), schedule: try schedule("30 2 * * *", "America/New_York"),
                nextRun: date("2026-03-08T07:00:00Z"), now: date("2026-03-08T07:00:10Z")))
        #expect(plan.slot == date("2026-03-08T07:00:00Z"))
        #expect(plan.nextRun == date("2026-03-09T06:30:00Z"))
    }

    @Test func schedulesNameTheFieldAndTheFault() {
        let failure = JobSchedule.validated(expression: "0 24 * * *", timezone: "Mars/Olympus")
        guard case .failure(let errors) = failure else {
            Issue.record("an invalid schedule was accepted")
            return
        }
        #expect(errors.errors.contains(FieldError(field: "cron_expression", message: "hour: value 24 out of range 0-23")))
        #expect(errors.errors.contains { $0.field == "timezone" })
        guard case .failure(let never) = JobSchedule.validated(expression: "0 0 30 2 *", timezone: "UTC") else {
            Issue.record("a schedule that never fires was accepted")
            return
        }
        #expect(never.errors.map(\.field) == ["cron_expression"])
        #expect(never.errors[0].message.contains("never fires"))
    }

    @Test func aNewJobGetsItsFirstSlotAndADisabledOneNone() throws {
        let now = date("2026-06-01T08:59:59Z")
        let request = CreateJobRequest(
            name: "digest", cronExpression: "0 9 * * *", timezone: "Europe/Berlin", action: .notify(title: "t", body: "b"))
        let draft = try JobDraftRules.draft(from: request, allowList: HTTPHostAllowList(hosts: []), now: now).get()
        #expect(draft.nextRun == date("2026-06-02T07:00:00Z"))  // 09:00 CEST
        var disabled = request
        disabled.enabled = false
        #expect(try JobDraftRules.draft(from: disabled, allowList: HTTPHostAllowList(hosts: []), now: now).get().nextRun == nil)
    }

    @Test func patchingRecomputesTheNextRunOnlyWhenTheScheduleMoves() throws {
        let job = Job(
            id: UUID().lowercasedString, name: "j", cronExpression: "0 * * * *", action: .memoryScan,
            nextRun: date("2026-06-01T10:00:00Z"), createdAt: date("2026-06-01T08:00:00Z"))
        let now = date("2026-06-01T09:30:00Z")
        let renamed = try JobDraftRules.patched(job, with: UpdateJobRequest(name: "k"), allowList: .init(hosts: []), now: now).get()
        #expect(renamed.nextRun == job.nextRun)
        #expect(renamed.name == "k")
        let moved = try JobDraftRules.patched(
            job, with: UpdateJobRequest(cronExpression: "*/7 * * * *"), allowList: .init(hosts: []), now: now
        ).get()
        #expect(moved.nextRun == date("2026-06-01T09:35:00Z"))
        let disabled = try JobDraftRules.patched(job, with: UpdateJobRequest(enabled: false), allowList: .init(hosts: []), now: now).get()
        #expect(disabled.nextRun == nil)
    }

    @Test func httpHostsAreCheckedExactlyAndCaseInsensitively() throws {
        let allowed = try HTTPHostAllowList(variable: "JOB_HTTP_ALLOWED_HOSTS", value: " API.Example.com, 127.0.0.1 ,")
        #expect(allowed.hosts == ["api.example.com", "127.0.0.1"])
        #expect(allowed.refusal(for: "https://api.example.com/hook") == nil)
        #expect(allowed.refusal(for: "https://API.EXAMPLE.COM:8443/hook") == nil)
        #expect(allowed.refusal(for: "http://127.0.0.1:9/x") == nil)
        #expect(allowed.refusal(for: "https://evil.example.com/") == "host \"evil.example.com\" is not in JOB_HTTP_ALLOWED_HOSTS")
        #expect(allowed.refusal(for: "https://api.example.com.evil.com/") != nil)
        #expect(allowed.refusal(for: "https://api.example.com@evil.com/") != nil)
        #expect(allowed.refusal(for: "ftp://api.example.com/") != nil)
        #expect(throws: ConfigurationError.self) {
            try HTTPHostAllowList(variable: "JOB_HTTP_ALLOWED_HOSTS", value: "https://api.example.com/path")
        }
        let fault = JobDraftRules.actionFault(.http(url: "https://evil.example/", method: .post, body: nil), allowList: allowed)
        #expect(fault?.field == "action.url")
    }

    @Test func cursorsMustBeOnesWeIssued() throws {
        let position = ListPosition(microseconds: 1_767_225_600_123_456, id: UUID())
        #expect(ListPosition(position.cursor) == position)
        #expect(ListPosition(KeysetCursor(key: 1, id: "not-a-uuid")) == nil)
    }

    @Test func settingsFailNamingTheVariable() throws {
        func refusal(_ name: String, _ value: String) -> String? {
            do {
                _ = try SchedulerSettings(environment: EnvironmentReader(["DATABASE_URL": "postgres://a@localhost/db", name: value]))
                return nil
            } catch {
                return error.variable
            }
        }
        #expect(refusal("TASK_WORKERS", "-1") == "TASK_WORKERS")
        #expect(refusal("TASK_LEASE_SECONDS", "0") == "TASK_LEASE_SECONDS")
        #expect(refusal("TICK_INTERVAL_SECONDS", "soon") == "TICK_INTERVAL_SECONDS")
        #expect(refusal("MEMORY_URL", "memory:8080") == "MEMORY_URL")
        #expect(refusal("AGENT_RUNNER_URL", "ftp://x") == "AGENT_RUNNER_URL")
        #expect(refusal("JOB_HTTP_ALLOWED_HOSTS", "http://x") == "JOB_HTTP_ALLOWED_HOSTS")
        let defaults = try SchedulerSettings(environment: EnvironmentReader(["DATABASE_URL": "postgres://a@localhost/db"]))
        #expect(defaults.taskWorkers == 4)
        #expect(defaults.taskLease == .seconds(60))
        #expect(defaults.tickInterval == .seconds(10))
        let off = try SchedulerSettings(
            environment: EnvironmentReader(["DATABASE_URL": "postgres://a@localhost/db", "TICK_INTERVAL_SECONDS": "0"]))
        #expect(off.tickInterval == nil)
    }
}

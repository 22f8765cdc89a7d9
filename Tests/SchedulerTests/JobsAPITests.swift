import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Scheduler

/// `/api/v1/jobs…`, `/internal/tick` and `/internal/retention` over HTTP, as the gateway and
/// Cloud Scheduler call them.
@Suite("Jobs API")
struct JobsAPITests {
    @Test func jobsAreCreatedReadPatchedAndDeleted() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            let created = try await api.send(
                .post, "/api/v1/jobs",
                json:
                    #"{"name": "morning digest", "cron_expression": "30 7 * * MON-FRI", "timezone": "Europe/Paris", "action": {"type": "notify", "title": "Good morning", "body": "Your digest"}, "metadata": {"team": "a"}}"#
            )
            #expect(created.status == .created)
            let job = try SchedulerAPI.decode(Job.self, from: created)
            #expect(job.timezone == "Europe/Paris")
            #expect(job.enabled)
            #expect(job.lastRun == nil)
            #expect(job.lastOutput == .null)
            #expect(job.metadata == ["team": "a"])
            let schedule = try JobSchedule.validated(expression: "30 7 * * MON-FRI", timezone: "Europe/Paris").get()
            let expectedNext = schedule.nextRun(after: job.createdAt.addingTimeInterval(-1))
            #expect(job.nextRun == expectedNext)
            #expect(job.id == job.id.lowercased())

            #expect(try await api.call(.get, "/api/v1/jobs/\(job.id)", as: Job.self) == job)

            let disabled = try await api.call(.patch, "/api/v1/jobs/\(job.id)", json: #"{"enabled": false}"#, as: Job.self)
            #expect(disabled.nextRun == nil)
            #expect(!disabled.enabled)
            let moved = try await api.call(
                .patch, "/api/v1/jobs/\(job.id)", json: #"{"enabled": true, "cron_expression": "@hourly", "timezone": "UTC"}"#, as: Job.self
            )
            #expect(moved.cronExpression == "@hourly")
            let hour = (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600 + 3600
            #expect(moved.nextRun == Date(timeIntervalSince1970: hour))
            #expect(moved.name == "morning digest")

            let nulled = try await api.send(.patch, "/api/v1/jobs/\(job.id)", json: #"{"name": null}"#)
            #expect(nulled.status == .badRequest)

            #expect(try await api.send(.delete, "/api/v1/jobs/\(job.id)").status == .noContent)
            #expect(try await api.send(.get, "/api/v1/jobs/\(job.id)").status == .notFound)
            #expect(try await api.send(.delete, "/api/v1/jobs/\(job.id)").status == .notFound)
            #expect(try await api.send(.get, "/api/v1/jobs/not-a-uuid").status == .notFound)
        }
    }

    @Test func badSchedulesAreRefusedNamingFieldAndFault() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            let response = try await api.send(
                .post, "/api/v1/jobs",
                json: #"{"name": "x", "cron_expression": "61 * * * *", "timezone": "PST", "action": {"type": "memory_scan"}}"#)
            #expect(response.status == .badRequest)
            let problem = try SchedulerAPI.problem(response)
            #expect(problem.code == .invalidRequest)
            #expect(problem.errors?.contains(FieldError(field: "cron_expression", message: "minute: value 61 out of range 0-59")) == true)
            #expect(problem.errors?.contains { $0.field == "timezone" } == true)
            let unknownType = try await api.send(
                .post, "/api/v1/jobs", json: #"{"name": "x", "cron_expression": "@daily", "action": {"type": "shell"}}"#)
            #expect(unknownType.status == .badRequest)
            #expect(try SchedulerAPI.problem(unknownType).errors?.first?.field == "action.type")
            let wrongMethod = try await api.send(.put, "/api/v1/jobs")
            #expect(wrongMethod.status == .methodNotAllowed)
        }
    }

    @Test func listsPageWithCursorsTheServerIssued() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            var ids: [String] = []
            for index in 0..<5 {
                let job = try await api.call(
                    .post, "/api/v1/jobs", json: #"{"name": "j\#(index)", "cron_expression": "@daily", "action": {"type": "memory_scan"}}"#,
                    as: Job.self)
                ids.append(job.id)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/jobs?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await api.call(.get, path, as: Page<Job>.self)
                #expect(page.items.count <= 2)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == ids.reversed())  // newest first, each once
            #expect(try await api.send(.get, "/api/v1/jobs?cursor=bm9wZQ").status == .badRequest)
            #expect(try SchedulerAPI.problem(try await api.send(.get, "/api/v1/jobs?cursor=MTIzLnh5eg")).errors?.first?.field == "cursor")
            #expect(try await api.send(.get, "/api/v1/jobs?limit=0").status == .badRequest)
            #expect(try await api.send(.get, "/api/v1/tasks?status=sleeping").status == .badRequest)
            #expect(try await api.send(.get, "/api/v1/inbox?unread_only=maybe").status == .badRequest)
        }
    }

    /// Run-now runs a disabled job too, once per second-slot; its task runs the action and the run
    /// completes with the action's output.
    @Test func runNowRunsOnceAndTheRunFollowsItsTask() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(["TASK_WORKERS": "1", "TASK_POLL_INTERVAL_MS": "20"], users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            let job = try await api.call(
                .post, "/api/v1/jobs",
                json:
                    #"{"name": "ping", "cron_expression": "@yearly", "enabled": false, "action": {"type": "notify", "title": "ping", "body": "pong"}}"#,
                as: Job.self)
            let response = try await api.send(.post, "/api/v1/jobs/\(job.id)/run")
            #expect(response.status == .accepted)
            let run = try SchedulerAPI.decode(JobRun.self, from: response)
            #expect(run.status == .running)
            #expect(run.jobID == job.id)
            #expect(run.scheduledFor.timeIntervalSince1970 == run.scheduledFor.timeIntervalSince1970.rounded(.down))
            let done = try await api.eventually(
                { try await api.call(.get, "/api/v1/jobs/\(job.id)/runs", as: Page<JobRun>.self) },
                until: { $0.items.first?.status == .completed })
            #expect(done.items.count == 1)
            let notificationID = try #require(done.items[0].output.objectValue?["notification_id"]?.stringValue)
            let inbox = try await api.call(.get, "/api/v1/inbox", as: Page<InboxNotification>.self)
            #expect(inbox.items.map(\.id) == [notificationID])
            #expect(inbox.items[0].source == "job:\(job.id)")
            #expect(inbox.items[0].body == "pong")
            let after = try await api.call(.get, "/api/v1/jobs/\(job.id)", as: Job.self)
            #expect(after.lastRun == run.scheduledFor)
            #expect(after.nextRun == nil)
            #expect(after.lastOutput == done.items[0].output)
        }
    }

    /// `/internal/tick` with a clock the test moves: a job missed for several slots runs once for
    /// the latest slot, saying how many it stands for; a slot due while that run still goes is
    /// recorded as skipped; only the system identity may tick.
    @Test func ticksCoalesceMissedSlotsAndSkipWhileARunIsGoing() async throws {
        let user = SchedulerTestApp.newUser()
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
        let clock = FakeClock(start)
        try await SchedulerTestApp.run(users: [user], clock: { clock.now }) { client in
            let api = SchedulerAPI(client, user: user)
            let job = try await api.call(
                .post, "/api/v1/jobs", json: #"{"name": "minutely", "cron_expression": "* * * * *", "action": {"type": "memory_scan"}}"#,
                as: Job.self)
            #expect(job.nextRun == start.addingTimeInterval(60))
            #expect(try await api.tick() == TickResponse(claimed: 0, skipped: 0))

            clock.advance(by: 5 * 60 + 30)  // slots +1 … +5 are due; nothing ticked meanwhile
            #expect(try await api.tick() == TickResponse(claimed: 1, skipped: 0))
            #expect(try await api.tick() == TickResponse(claimed: 0, skipped: 0))  // a second pass finds nothing
            var runs = try await api.call(.get, "/api/v1/jobs/\(job.id)/runs", as: Page<JobRun>.self)
            #expect(runs.items.count == 1)
            #expect(runs.items[0].scheduledFor == start.addingTimeInterval(300))
            #expect(runs.items[0].output == ["missed_slots": 4])
            #expect(runs.items[0].status == .running)

            clock.advance(by: 60)  // the run has no worker: still going
            #expect(try await api.tick() == TickResponse(claimed: 0, skipped: 1))
            runs = try await api.call(.get, "/api/v1/jobs/\(job.id)/runs", as: Page<JobRun>.self)
            #expect(runs.items.map(\.status) == [.skipped, .running])
            #expect(runs.items[0].startedAt == nil)
            #expect(runs.items[0].output.objectValue?["previous_run_id"] == .string(runs.items[1].id))
            let ticked = try await api.call(.get, "/api/v1/jobs/\(job.id)", as: Job.self)
            #expect(ticked.lastRun == start.addingTimeInterval(360))
            #expect(ticked.nextRun == start.addingTimeInterval(420))

            let asUser = try await api.send(.post, "/internal/tick")
            #expect(asUser.status == .forbidden)
            let tasks = try await api.call(.get, "/api/v1/tasks", as: Page<BackgroundTask>.self)
            #expect(tasks.items.count == 1)  // one task for the one claimed run
        }
    }

    @Test func theInProcessTickerClaimsDueSlots() async throws {
        let user = SchedulerTestApp.newUser()
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
        let clock = FakeClock(start)
        try await SchedulerTestApp.run(["TICK_INTERVAL_SECONDS": "1"], users: [user], clock: { clock.now }) { client in
            let api = SchedulerAPI(client, user: user)
            let job = try await api.call(
                .post, "/api/v1/jobs", json: #"{"name": "m", "cron_expression": "* * * * *", "action": {"type": "memory_scan"}}"#,
                as: Job.self)
            clock.advance(by: 61)
            let runs = try await api.eventually(
                { try await api.call(.get, "/api/v1/jobs/\(job.id)/runs", as: Page<JobRun>.self) },
                until: { !$0.items.isEmpty })
            #expect(runs.items.map(\.scheduledFor) == [start.addingTimeInterval(60)])
        }
    }

    @Test func retentionDeletesOldRunsAndFinishedTasks() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            let job = try await api.call(
                .post, "/api/v1/jobs", json: #"{"name": "old", "cron_expression": "@daily", "action": {"type": "memory_scan"}}"#,
                as: Job.self)
            let task = try await api.call(.post, "/api/v1/tasks", json: #"{"action": {"type": "memory_scan"}}"#, as: BackgroundTask.self)
            let fresh = try await api.call(.post, "/api/v1/tasks", json: #"{"action": {"type": "memory_scan"}}"#, as: BackgroundTask.self)
            try await TestDatabase.withDatabase { database in
                try await SchedulerTestDatabase.execute(
                    """
                    INSERT INTO scheduler.job_runs (job_id, user_id, scheduled_for, status)
                    SELECT \(UUID(uuidString: job.id)!), \(user), now() - make_interval(days => d), 'completed'
                    FROM generate_series(88, 92) AS d
                    """, on: database)
                try await SchedulerTestDatabase.execute(
                    "UPDATE scheduler.tasks SET status = 'succeeded', updated_at = now() - interval '31 days' WHERE id = \(UUID(uuidString: task.id)!)",
                    on: database)
            }
            let refused = try await api.send(.post, "/internal/retention")
            #expect(refused.status == .forbidden)
            let swept = try await api.send(.post, "/internal/retention", subject: InternalIdentityClaims.systemSubject)
            let result = try SchedulerAPI.decode(RetentionResponse.self, from: swept)
            // The counts say what this sweep removed, and tests running alongside sweep too (one
            // of them may have taken our rows first), so only the tables are checked here; the
            // rows below prove what went: ours past the limit, and only those.
            #expect(result.deleted.keys.contains("job_runs"))
            #expect(result.deleted.keys.contains("tasks"))
            let runs = try await api.call(.get, "/api/v1/jobs/\(job.id)/runs", as: Page<JobRun>.self)
            #expect(runs.items.count == 2)  // 88 and 89 days old stay
            #expect(try await api.send(.get, "/api/v1/tasks/\(task.id)").status == .notFound)
            #expect(try await api.send(.get, "/api/v1/tasks/\(fresh.id)").status == .ok)
        }
    }

    /// The built-in sweep runs once per interval across replicas and calls every configured
    /// service's `/internal/retention` as `system`.
    @Test func theBuiltInSweepCallsEveryServiceAsSystem() async throws {
        let calls = CallLog()
        try await TestServer.runService(
            .rag,
            routes: { router in
                router.post("/internal/retention") { _, context -> RetentionResponse in
                    calls.record(.init(path: "/internal/retention", method: "POST", body: "rag", identity: context.identity))
                    return RetentionResponse(deleted: ["document_chunks": 0])
                }
            }
        ) { ragPort in
            try await TestServer.runService(
                .gateway,
                routes: { router in
                    router.post("/internal/retention") { _, context -> RetentionResponse in
                        calls.record(.init(path: "/internal/retention", method: "POST", body: "gateway", identity: context.identity))
                        return RetentionResponse(deleted: ["security_logs": 7])
                    }
                }
            ) { gatewayPort in
                let settings = try SchedulerTestApp.settings([
                    "RAG_URL": "http://127.0.0.1:\(ragPort)", "GATEWAY_URL": "http://127.0.0.1:\(gatewayPort)",
                ])
                try await SchedulerComponentsHarness.with(settings, users: []) { components in
                    let results = await components.retention.everywhere()
                    #expect(results[.gateway]?.deleted == ["security_logs": 7])
                    #expect(results[.rag] != nil)
                    #expect(results[.scheduler] != nil)
                }
            }
        }
        #expect(Set(calls.all.map(\.body)) == ["rag", "gateway"])
        #expect(calls.all.allSatisfy { $0.identity?.sub == "system" && $0.identity?.iss == "scheduler" })
    }

    @Test func oneReplicaClaimsEachMaintenanceRound() async throws {
        let name = "test-\(UUID().uuidString)"
        try await SchedulerTestDatabase.withMigrated { database in
            try await SchedulerTestDatabase.execute(
                "INSERT INTO scheduler.maintenance_runs (name, last_started_at) VALUES (\(name), '-infinity')", on: database)
            let store = PostgresRetentionStore(database: database, logger: SchedulerTestDatabase.logger)
            let claims = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<10 { group.addTask { try await store.claimRound(name, every: .seconds(3600)) } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(claims.filter { $0 }.count == 1)
            #expect(try await store.claimRound(name, every: .seconds(3600)) == false)
            try await SchedulerTestDatabase.execute("DELETE FROM scheduler.maintenance_runs WHERE name = \(name)", on: database)
        }
    }
}

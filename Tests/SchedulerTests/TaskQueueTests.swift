import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

@testable import Scheduler

/// The retrying queue: backoff and `dead`, leases that expire, idempotent enqueues, shutdown.
@Suite("Task queue")
struct TaskQueueTests {
    static let logger = SchedulerTestDatabase.logger

    /// Reads one task's state as the system sees it.
    static func state(
        of id: UUID, on database: Database
    ) async throws -> (status: String, attempts: Int, runAtDelay: Double, lastError: String?, owner: String?) {
        try await database.withTransaction(.system) { connection in
            let rows = try await connection.query(
                """
                SELECT status, attempts, extract(epoch FROM run_at - updated_at)::float8, last_error, lease_owner
                FROM scheduler.tasks WHERE id = \(id)
                """, logger: logger)
            for try await row in rows.decode((String, Int, Double, String?, String?).self) {
                return (row.0, row.1, row.2, row.3, row.4)
            }
            throw UnexpectedStatus(status: 404, body: "task \(id) is gone")
        }
    }

    @Test func failedAttemptsBackOffWithFullJitterThenTheTaskIsDead() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestDatabase.withMigrated { database in
            let tasks = PostgresTaskStore(database: database, logger: Self.logger)
            let queue = PostgresTaskQueue(database: database, logger: Self.logger)
            let (task, _) = try await tasks.enqueue(
                .http(url: "http://127.0.0.1:9/", method: .post, body: nil), idempotencyKey: nil, maxAttempts: 4, for: user)
            let id = UUID(uuidString: task.id)!
            let backoff = RetryBackoff.standard
            var random = CronTestRandom(seed: 42)
            for attempt in 1...4 {
                let leased = try await queue.lease(token: "worker-\(attempt)", limit: 8, for: .seconds(60), scope: .users([user]))
                #expect(leased.map(\.id) == [id])
                #expect(leased.first?.attempt == attempt)
                let delay = backoff.delay(afterAttempt: attempt, random: &random)
                #expect(delay <= backoff.maximumDelay(afterAttempt: attempt))
                let finished = try await queue.finish([
                    TaskCompletion(
                        lease: HeldLease(taskID: id, token: "worker-\(attempt)"), outcome: .retryable("answered 500"), retryDelay: delay)
                ])
                let state = try await Self.state(of: id, on: database)
                #expect(state.attempts == attempt)
                #expect(state.lastError == "answered 500")
                #expect(state.owner == nil)
                if attempt < 4 {
                    #expect(finished.map(\.status) == [.failed])
                    #expect(state.status == "failed")
                    // run_at = the failure's time + the jittered delay (2 s, 4 s, 8 s caps).
                    #expect(abs(state.runAtDelay - Double(delay.components.seconds) - Double(delay.components.attoseconds) / 1e18) < 0.002)
                    // Not due before its time (pushed an hour out so no slow machine can reach it)…
                    try await SchedulerTestDatabase.execute(
                        "UPDATE scheduler.tasks SET run_at = now() + interval '1 hour' WHERE id = \(id)", on: database)
                    #expect(try await queue.lease(token: "early", limit: 8, for: .seconds(60), scope: .users([user])).isEmpty)
                    // …and due after it (fast-forwarded here rather than waited for).
                    try await SchedulerTestDatabase.execute("UPDATE scheduler.tasks SET run_at = now() WHERE id = \(id)", on: database)
                } else {
                    #expect(finished.map(\.status) == [.dead])
                    #expect(state.status == "dead")
                }
            }
            #expect(try await queue.lease(token: "after", limit: 8, for: .seconds(60), scope: .users([user])).isEmpty)
            let read = try await tasks.task(id, for: user)
            #expect(read?.status == .dead)
            #expect(read?.attempts == 4)
        }
    }

    @Test func aFinishWithoutTheLeaseRecordsNothing() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestDatabase.withMigrated { database in
            let tasks = PostgresTaskStore(database: database, logger: Self.logger)
            let queue = PostgresTaskQueue(database: database, logger: Self.logger)
            let (task, _) = try await tasks.enqueue(.memoryScan, idempotencyKey: nil, maxAttempts: 2, for: user)
            let id = UUID(uuidString: task.id)!
            _ = try await queue.lease(token: "holder", limit: 1, for: .seconds(60), scope: .users([user]))
            let stolen = try await queue.finish([
                TaskCompletion(lease: HeldLease(taskID: id, token: "someone-else"), outcome: .succeeded([:]))
            ])
            #expect(stolen.isEmpty)
            #expect(try await Self.state(of: id, on: database).status == "running")
            #expect(try await queue.extend([HeldLease(taskID: id, token: "holder")], for: .seconds(60)) == 1)
            #expect(try await queue.release([HeldLease(taskID: id, token: "holder")]) == 1)
            let released = try await Self.state(of: id, on: database)
            #expect(released.status == "queued")
            #expect(released.attempts == 0)
        }
    }

    /// A worker dies mid-attempt (its task and connection are cancelled, nothing is recorded): its
    /// lease expires, another worker reclaims the task, and the task succeeds exactly once.
    @Test func aKilledWorkersTaskIsRetriedAfterItsLeaseAndSucceedsOnce() async throws {
        let user = SchedulerTestApp.newUser()
        let calls = CallLog()
        let hold = Latch()
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            calls.record(.init(path: "/hook", method: "POST", body: "", identity: nil))
            if calls.count == 1 { await hold.wait(timeout: .seconds(20)) }  // the first call never answers in time
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }
        try await TestServer.run(router) { port in
            defer { hold.open() }
            let settings = try SchedulerTestApp.settings([
                "JOB_HTTP_ALLOWED_HOSTS": "127.0.0.1", "TASK_LEASE_SECONDS": "2", "TASK_WORKERS": "1", "TASK_POLL_INTERVAL_MS": "20",
            ])
            try await SchedulerTestDatabase.withMigrated { database in
                let (task, _) = try await PostgresTaskStore(database: database, logger: Self.logger).enqueue(
                    .http(url: "http://127.0.0.1:\(port)/hook", method: .post, body: ["n": 1]), idempotencyKey: nil, maxAttempts: 3,
                    for: user)
                let id = UUID(uuidString: task.id)!

                // Worker A takes the task, calls, and is killed while the call hangs.
                try await SchedulerComponentsHarness.with(settings, users: [user]) { components in
                    let worker = Task { try await components.workers.run() }
                    _ = try await Eventually.wait({ calls.count }, until: { $0 == 1 })
                    worker.cancel()
                    _ = try? await worker.value
                }
                // Nothing was recorded for the killed attempt: the task is still leased (or, on a
                // machine so slow that worker A missed its own heartbeats, already reclaimed).
                let orphaned = try await Self.state(of: id, on: database)
                #expect(["running", "failed"].contains(orphaned.status))
                #expect(orphaned.attempts == 1)

                // Worker B reclaims it once the 2 s lease has expired, and the retry succeeds.
                try await SchedulerComponentsHarness.with(settings, users: [user]) { components in
                    let worker = Task { try await components.workers.run() }
                    let done = try await Eventually.wait(
                        { try await Self.state(of: id, on: database) }, until: { $0.status == "succeeded" })
                    worker.cancel()
                    _ = try? await worker.value
                    #expect(done.attempts == 2)
                    #expect(done.lastError?.contains("lease") == true)
                }
                #expect(calls.count == 2)
                let final = try await PostgresTaskStore(database: database, logger: Self.logger).task(id, for: user)
                #expect(final?.status == .succeeded)
                #expect(final?.result == ["status": 200, "body": ["ok": true]])
            }
        }
    }

    @Test func theSameIdempotencyKeyFromTwentyConcurrentRequestsMakesOneTask() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            let body = #"{"action": {"type": "notify", "title": "once", "body": "only once"}, "idempotency_key": "nightly-2026-11-21"}"#
            let answers = try await withThrowingTaskGroup(of: (Int, BackgroundTask).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let response = try await api.send(.post, "/api/v1/tasks", json: body)
                        return (response.status.code, try SchedulerAPI.decode(BackgroundTask.self, from: response))
                    }
                }
                return try await group.reduce(into: [(Int, BackgroundTask)]()) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == 202 }.count == 1)
            #expect(answers.filter { $0.0 == 200 }.count == 19)
            #expect(Set(answers.map(\.1.id)).count == 1)
            let page = try await api.call(.get, "/api/v1/tasks", as: Page<BackgroundTask>.self)
            #expect(page.items.count == 1)
            // Another user's same key is another task.
            let other = try await api.as(SchedulerTestApp.newUser()).send(.post, "/api/v1/tasks", json: body)
            #expect(other.status == .accepted)
        }
    }

    @Test func workersRunNotifyTasksIntoTheInbox() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(["TASK_WORKERS": "2", "TASK_POLL_INTERVAL_MS": "20"], users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            var ids: [String] = []
            for index in 0..<5 {
                let task = try await api.call(
                    .post, "/api/v1/tasks", json: #"{"action": {"type": "notify", "title": "hello \#(index)", "body": "b"}}"#,
                    as: BackgroundTask.self)
                #expect(task.status == .queued)
                ids.append(task.id)
            }
            let done = try await api.eventually(
                {
                    try await api.call(.get, "/api/v1/tasks?status=succeeded", as: Page<BackgroundTask>.self)
                }, until: { $0.items.count == 5 })
            #expect(Set(done.items.map(\.id)) == Set(ids))
            #expect(done.items.allSatisfy { $0.attempts == 1 && $0.result.objectValue?["notification_id"] != nil })
            let inbox = try await api.call(.get, "/api/v1/inbox", as: Page<InboxNotification>.self)
            #expect(inbox.items.count == 5)
            #expect(Set(inbox.items.map(\.title)) == Set((0..<5).map { "hello \($0)" }))
            #expect(inbox.items.allSatisfy { $0.source == "task" })
            #expect(Set(done.items.compactMap { $0.result.objectValue?["notification_id"]?.stringValue }) == Set(inbox.items.map(\.id)))
        }
    }

    /// SIGTERM: an attempt still running when the grace period ends is interrupted and its lease
    /// given back (due again at once, the attempt not counted); one that finishes in time counts.
    @Test func shutdownReleasesTheLeasesOfAttemptsStillRunning() async throws {
        let user = SchedulerTestApp.newUser()
        let hold = Latch()
        let router = Router()
        router.post("/slow") { _, _ -> Response in
            await hold.wait(timeout: .seconds(20))
            return Response(status: .ok)
        }
        router.post("/quick") { _, _ -> Response in
            try await Task.sleep(for: .milliseconds(300))
            return Response(status: .ok)
        }
        try await TestServer.run(router) { port in
            defer { hold.open() }
            try await SchedulerTestDatabase.withMigrated { database in
                let overrides = [
                    "JOB_HTTP_ALLOWED_HOSTS": "127.0.0.1", "TASK_WORKERS": "2", "TASK_POLL_INTERVAL_MS": "20", "SHUTDOWN_GRACE_MS": "4000",
                ]
                let ids = try await SchedulerTestApp.run(overrides, users: [user]) { client in
                    let api = SchedulerAPI(client, user: user)
                    let slow = try await api.call(
                        .post, "/api/v1/tasks", json: #"{"action": {"type": "http", "url": "http://127.0.0.1:\#(port)/slow"}}"#,
                        as: BackgroundTask.self)
                    let quick = try await api.call(
                        .post, "/api/v1/tasks", json: #"{"action": {"type": "http", "url": "http://127.0.0.1:\#(port)/quick"}}"#,
                        as: BackgroundTask.self)
                    _ = try await api.eventually(
                        {
                            try await api.call(.get, "/api/v1/tasks?status=running", as: Page<BackgroundTask>.self)
                        }, until: { $0.items.count == 2 })
                    return (UUID(uuidString: slow.id)!, UUID(uuidString: quick.id)!)
                }
                // The application has stopped: the quick attempt was recorded, the slow one released.
                let quick = try await Self.state(of: ids.1, on: database)
                #expect(quick.status == "succeeded")
                let slow = try await Self.state(of: ids.0, on: database)
                #expect(slow.status == "queued")
                #expect(slow.attempts == 0)
                #expect(slow.owner == nil)
            }
        }
    }
}

/// Scheduler components built from settings over their own database client, for tests that run
/// and kill worker pools directly.
enum SchedulerComponentsHarness {
    static func with(
        _ settings: SchedulerSettings, users: [String], backoff: RetryBackoff = .standard,
        _ body: @escaping @Sendable (SchedulerComponents) async throws -> Void
    ) async throws {
        let core = ServiceCore(settings: settings.common, runtime: TestSettings.runtime())
        let components = try SchedulerComponents(
            settings: settings, core: core, migrationNames: try SchedulerSchema.migrations().migrations.map(\.name),
            scope: .users(users), backoff: backoff)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await core.database.client.run() }
                defer { group.cancelAll() }
                try await SchedulerSchema.migrations().run(on: core.database, logger: SchedulerTestDatabase.logger)
                try await body(components)
            }
        } catch {
            await components.clients.shutdown()
            throw error
        }
        await components.clients.shutdown()
    }
}

import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing

@testable import Scheduler

/// The actions against stand-ins on loopback: `http` (allow-list at creation and at run time,
/// redirects), `memory_scan` (apex-memory over h2c with the owner's identity), `agent`.
@Suite("Actions")
struct ActionTests {
    static let fastRetries = RetryBackoff(base: .milliseconds(10), cap: .milliseconds(40))

    @Test func httpHostsOutsideTheAllowListAreRefusedAtCreation() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(["JOB_HTTP_ALLOWED_HOSTS": "hooks.example.com"], users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            for (path, json) in [
                (
                    "/api/v1/jobs",
                    #"{"name": "x", "cron_expression": "@daily", "action": {"type": "http", "url": "https://evil.example.com/hook"}}"#
                ),
                ("/api/v1/tasks", #"{"action": {"type": "http", "url": "https://evil.example.com/hook"}}"#),
                ("/api/v1/tasks", #"{"action": {"type": "http", "url": "https://hooks.example.com@evil.example.com/"}}"#),
            ] {
                let response = try await api.send(.post, path, json: json)
                #expect(response.status == .badRequest)
                let problem = try SchedulerAPI.problem(response)
                #expect(problem.errors?.map(\.field) == ["action.url"], "\(path) \(json)")
            }
            let allowed = try await api.send(
                .post, "/api/v1/tasks", json: #"{"action": {"type": "http", "url": "https://HOOKS.example.com/ok", "method": "PUT"}}"#)
            #expect(allowed.status == .accepted)
            // PATCHing a job's action to a refused host is refused the same way.
            let job = try await api.call(
                .post, "/api/v1/jobs", json: #"{"name": "x", "cron_expression": "@daily", "action": {"type": "memory_scan"}}"#, as: Job.self
            )
            let patch = try await api.send(
                .patch, "/api/v1/jobs/\(job.id)", json: #"{"action": {"type": "http", "url": "http://10.0.0.1/"}}"#)
            #expect(patch.status == .badRequest)
            #expect(try SchedulerAPI.problem(patch).errors?.first?.field == "action.url")
        }
    }

    /// A task accepted under one allow-list runs under another (a deploy narrowed it): the host
    /// is checked again before the call, and the task dies without calling.
    @Test func theAllowListIsCheckedAgainAtRunTime() async throws {
        let user = SchedulerTestApp.newUser()
        let calls = CallLog()
        let router = Router()
        router.post("/hook") { _, _ -> HTTPResponse.Status in
            calls.record(.init(path: "/hook", method: "POST", body: "", identity: nil))
            return .ok
        }
        try await TestServer.run(router) { port in
            let task = try await SchedulerTestApp.run(["JOB_HTTP_ALLOWED_HOSTS": "127.0.0.1"], users: [user]) { client in
                try await SchedulerAPI(client, user: user).call(
                    .post, "/api/v1/tasks", json: #"{"action": {"type": "http", "url": "http://127.0.0.1:\#(port)/hook"}}"#,
                    as: BackgroundTask.self)
            }
            try await SchedulerTestApp.run(
                ["JOB_HTTP_ALLOWED_HOSTS": "hooks.example.com", "TASK_WORKERS": "1", "TASK_POLL_INTERVAL_MS": "20"], users: [user]
            ) { client in
                let api = SchedulerAPI(client, user: user)
                let dead = try await api.eventually(
                    { try await api.call(.get, "/api/v1/tasks/\(task.id)", as: BackgroundTask.self) },
                    until: { $0.status == .dead })
                #expect(dead.attempts == 1)  // not retried: waiting cannot make the host allowed
                #expect(dead.lastError?.contains("not in JOB_HTTP_ALLOWED_HOSTS") == true)
            }
            #expect(calls.count == 0)
        }
    }

    /// An allowed host that redirects to another host: the redirect is not followed, the attempt
    /// fails, the other host never hears a thing.
    @Test func redirectsToAnotherHostAreNotFollowed() async throws {
        let user = SchedulerTestApp.newUser()
        let elsewhere = CallLog()
        let other = Router()
        other.get("/landing") { _, _ -> HTTPResponse.Status in
            elsewhere.record(.init(path: "/landing", method: "GET", body: "", identity: nil))
            return .ok
        }
        try await TestServer.run(other) { otherPort in
            let redirecting = Router()
            redirecting.post("/hook") { _, _ -> Response in
                Response(status: .found, headers: [.location: "http://localhost:\(otherPort)/landing"])
            }
            try await TestServer.run(redirecting) { port in
                try await SchedulerTestApp.run(
                    ["JOB_HTTP_ALLOWED_HOSTS": "127.0.0.1,localhost", "TASK_WORKERS": "1", "TASK_POLL_INTERVAL_MS": "20"], users: [user]
                ) { client in
                    let api = SchedulerAPI(client, user: user)
                    let task = try await api.call(
                        .post, "/api/v1/tasks",
                        json: #"{"action": {"type": "http", "url": "http://127.0.0.1:\#(port)/hook"}, "max_attempts": 1}"#,
                        as: BackgroundTask.self)
                    let dead = try await api.eventually(
                        { try await api.call(.get, "/api/v1/tasks/\(task.id)", as: BackgroundTask.self) },
                        until: { $0.status == .dead })
                    #expect(dead.lastError?.contains("302") == true)
                    #expect(dead.lastError?.contains("not followed") == true)
                }
            }
            #expect(elsewhere.count == 0)
        }
    }

    @Test func httpAnswersAreBoundedInSizeAndTime() async throws {
        let user = SchedulerTestApp.newUser()
        let router = Router()
        router.post("/big") { _, _ -> Response in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)))
        }
        router.post("/slow") { _, _ -> Response in
            try? await Task.sleep(for: .seconds(5))
            return Response(status: .ok)
        }
        router.post("/fine") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1024)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        try await TestServer.run(router) { port in
            try await SchedulerTestApp.run(
                [
                    "JOB_HTTP_ALLOWED_HOSTS": "127.0.0.1", "TASK_WORKERS": "3", "TASK_POLL_INTERVAL_MS": "20",
                    "JOB_HTTP_MAX_RESPONSE_BYTES": "1024", "JOB_HTTP_TIMEOUT_MS": "1500",
                ], users: [user]
            ) { client in
                let api = SchedulerAPI(client, user: user)
                func enqueue(_ path: String) async throws -> String {
                    try await api.call(
                        .post, "/api/v1/tasks",
                        json:
                            #"{"action": {"type": "http", "url": "http://127.0.0.1:\#(port)\#(path)", "body": {"echo": [1, 2]}}, "max_attempts": 1}"#,
                        as: BackgroundTask.self
                    ).id
                }
                let big = try await enqueue("/big")
                let slow = try await enqueue("/slow")
                let fine = try await enqueue("/fine")
                func finished(_ id: String) async throws -> BackgroundTask {
                    try await api.eventually(
                        { try await api.call(.get, "/api/v1/tasks/\(id)", as: BackgroundTask.self) },
                        until: { $0.status.isTerminal })
                }
                #expect(try await finished(big).lastError?.contains("more than 1024 bytes") == true)
                #expect(try await finished(slow).lastError?.contains("did not answer within") == true)
                let echoed = try await finished(fine)
                #expect(echoed.status == .succeeded)
                #expect(echoed.result == ["status": 200, "body": ["echo": [1, 2]]])
            }
        }
    }

    /// `memory_scan` calls apex-memory's scan over HTTP/2 with the job owner's identity; the run
    /// completes with the scan's counts as its output.
    @Test func memoryScanCallsMemoryAsTheJobOwner() async throws {
        let user = SchedulerTestApp.newUser()
        let calls = CallLog()
        try await TestServer.runService(
            .memory,
            routes: { router in
                router.post("/api/v1/memories/scan") { request, context -> MemoryScanResponse in
                    calls.record(.init(path: request.uri.path, method: "POST", body: "", identity: context.identity))
                    return MemoryScanResponse(sessionsScanned: 3, memoriesAdded: 2)
                }
            }
        ) { port in
            try await SchedulerTestApp.run(
                ["MEMORY_URL": "http://127.0.0.1:\(port)", "TASK_WORKERS": "1", "TASK_POLL_INTERVAL_MS": "20"], users: [user]
            ) { client in
                let api = SchedulerAPI(client, user: user)
                let job = try await api.call(
                    .post, "/api/v1/jobs", json: #"{"name": "scan", "cron_expression": "0 3 * * *", "action": {"type": "memory_scan"}}"#,
                    as: Job.self)
                let run = try await api.call(.post, "/api/v1/jobs/\(job.id)/run", as: JobRun.self)
                let runs = try await api.eventually(
                    { try await api.call(.get, "/api/v1/jobs/\(job.id)/runs", as: Page<JobRun>.self) },
                    until: { $0.items.first?.status == .completed })
                #expect(runs.items.map(\.id) == [run.id])
                #expect(runs.items[0].output == ["sessions_scanned": 3, "memories_added": 2])
                let updated = try await api.call(.get, "/api/v1/jobs/\(job.id)", as: Job.self)
                #expect(updated.lastOutput == ["sessions_scanned": 3, "memories_added": 2])
            }
        }
        let call = try #require(calls.all.first)
        #expect(calls.count == 1)
        #expect(call.identity?.sub == user)
        #expect(call.identity?.iss == "scheduler")
        #expect(call.identity?.aud == "memory")
    }

    @Test func memoryScanWithoutMemoryURLFailsSayingSo() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(["TASK_WORKERS": "1", "TASK_POLL_INTERVAL_MS": "20"], users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            let task = try await api.call(.post, "/api/v1/tasks", json: #"{"action": {"type": "memory_scan"}}"#, as: BackgroundTask.self)
            let dead = try await api.eventually(
                { try await api.call(.get, "/api/v1/tasks/\(task.id)", as: BackgroundTask.self) },
                until: { $0.status == .dead })
            #expect(dead.lastError?.contains("MEMORY_URL") == true)
        }
    }

    /// Without `AGENT_RUNNER_URL` an agent job's run fails saying so, and the failure lands in the
    /// owner's inbox.
    @Test func agentRunsFailClearlyWithoutARunnerAndNotifyTheOwner() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(["TASK_WORKERS": "1", "TASK_POLL_INTERVAL_MS": "20"], users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            let job = try await api.call(
                .post, "/api/v1/jobs",
                json:
                    #"{"name": "plan my week", "cron_expression": "0 8 * * MON", "action": {"type": "agent", "agent_type": "PlannerAgent", "query": "plan"}}"#,
                as: Job.self)
            _ = try await api.call(.post, "/api/v1/jobs/\(job.id)/run", as: JobRun.self)
            let runs = try await api.eventually(
                { try await api.call(.get, "/api/v1/jobs/\(job.id)/runs", as: Page<JobRun>.self) },
                until: { $0.items.first?.status == .failed })
            #expect(runs.items[0].error?.contains("AGENT_RUNNER_URL is not set") == true)
            #expect(runs.items[0].completedAt != nil)
            let inbox = try await api.call(.get, "/api/v1/inbox?unread_only=true", as: Page<InboxNotification>.self)
            let notice = try #require(inbox.items.first)
            #expect(notice.title == #"Job "plan my week" failed"#)
            #expect(notice.body.contains("AGENT_RUNNER_URL"))
            #expect(notice.source == "scheduler")
            #expect(notice.metadata["job_id"] == .string(job.id))
            let updated = try await api.call(.get, "/api/v1/jobs/\(job.id)", as: Job.self)
            #expect(updated.lastOutput.objectValue?["error"] != nil)
        }
    }

    @Test func agentRunsAreHandedToTheRunner() async throws {
        let user = SchedulerTestApp.newUser()
        let calls = CallLog()
        let router = Router()
        router.post("/runs") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 4096)
            calls.record(.init(path: "/runs", method: "POST", body: String(buffer: body), identity: nil))
            return Response(
                status: .accepted, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"run_id":"r1"}"#)))
        }
        try await TestServer.run(router) { port in
            try await SchedulerTestApp.run(
                ["AGENT_RUNNER_URL": "http://127.0.0.1:\(port)/runs", "TASK_WORKERS": "1", "TASK_POLL_INTERVAL_MS": "20"], users: [user]
            ) { client in
                let api = SchedulerAPI(client, user: user)
                let task = try await api.call(
                    .post, "/api/v1/tasks", json: #"{"action": {"type": "agent", "agent_type": "PlannerAgent", "query": "what next"}}"#,
                    as: BackgroundTask.self)
                let done = try await api.eventually(
                    { try await api.call(.get, "/api/v1/tasks/\(task.id)", as: BackgroundTask.self) },
                    until: { $0.status.isTerminal })
                #expect(done.status == .succeeded)
                #expect(done.result == ["status": 202, "body": ["run_id": "r1"]])
            }
        }
        let sent = try ApexJSON.decode(JSONValue.self, from: Data(try #require(calls.all.first).body.utf8))
        #expect(sent.objectValue?["agent_type"] == "PlannerAgent")
        #expect(sent.objectValue?["query"] == "what next")
        #expect(sent.objectValue?["user_id"] == .string(user))
    }
}

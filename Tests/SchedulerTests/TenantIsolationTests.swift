import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Scheduler

/// Another user's jobs, runs, tasks and notifications are answered exactly like missing ones.
@Suite("Tenant isolation")
struct TenantIsolationTests {
    @Test func anotherUsersResourcesAreNotFoundAndNeverListed() async throws {
        let owner = SchedulerTestApp.newUser()
        let stranger = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(users: [owner, stranger]) { client in
            let api = SchedulerAPI(client, user: owner)
            let other = api.as(stranger)
            let job = try await api.call(
                .post, "/api/v1/jobs", json: #"{"name": "mine", "cron_expression": "@daily", "action": {"type": "memory_scan"}}"#,
                as: Job.self)
            _ = try await api.call(.post, "/api/v1/jobs/\(job.id)/run", as: JobRun.self)
            let task = try await api.call(
                .post, "/api/v1/tasks", json: #"{"action": {"type": "memory_scan"}, "idempotency_key": "k1"}"#, as: BackgroundTask.self)
            let note = try await api.call(
                .post, "/api/v1/inbox", json: #"{"title": "secret", "body": "b", "priority": 5}"#, as: InboxNotification.self)
            #expect(note.priority == 5)
            #expect(note.source == "api")

            for (method, path, json) in [
                (HTTPRequest.Method.get, "/api/v1/jobs/\(job.id)", nil),
                (.patch, "/api/v1/jobs/\(job.id)", #"{"name": "theirs"}"#),
                (.delete, "/api/v1/jobs/\(job.id)", nil),
                (.post, "/api/v1/jobs/\(job.id)/run", nil),
                (.get, "/api/v1/jobs/\(job.id)/runs", nil),
                (.get, "/api/v1/tasks/\(task.id)", nil),
                (.post, "/api/v1/inbox/\(note.id)/read", nil),
                (.delete, "/api/v1/inbox/\(note.id)", nil),
            ] as [(HTTPRequest.Method, String, String?)] {
                let response = try await other.send(method, path, json: json)
                #expect(response.status == .notFound, "\(method) \(path)")
                #expect(try SchedulerAPI.problem(response).code == .notFound)
            }
            let missing = try await other.send(.get, "/api/v1/jobs/\(UUID().uuidString.lowercased())")
            let foreign = try await other.send(.get, "/api/v1/jobs/\(job.id)")
            #expect(try SchedulerAPI.problem(missing).detail == SchedulerAPI.problem(foreign).detail)

            #expect(try await other.call(.get, "/api/v1/jobs", as: Page<Job>.self).items.isEmpty)
            #expect(try await other.call(.get, "/api/v1/tasks", as: Page<BackgroundTask>.self).items.isEmpty)
            #expect(try await other.call(.get, "/api/v1/inbox", as: Page<InboxNotification>.self).items.isEmpty)
            #expect(try await other.call(.get, "/api/v1/inbox/unread_count", as: UnreadCountResponse.self).unread == 0)
            #expect(try await other.call(.post, "/api/v1/inbox/read_all", as: ReadAllResponse.self).updated == 0)
            // The same idempotency key is the stranger's own, separate task.
            let theirs = try await other.send(
                .post, "/api/v1/tasks", json: #"{"action": {"type": "memory_scan"}, "idempotency_key": "k1"}"#)
            #expect(theirs.status == .accepted)
            #expect(try SchedulerAPI.decode(BackgroundTask.self, from: theirs).id != task.id)

            // The owner still has everything, untouched.
            #expect(try await api.call(.get, "/api/v1/jobs/\(job.id)", as: Job.self).name == "mine")
            #expect(try await api.call(.get, "/api/v1/jobs/\(job.id)/runs", as: Page<JobRun>.self).items.count == 1)
            #expect(try await api.call(.get, "/api/v1/inbox/unread_count", as: UnreadCountResponse.self).unread == 1)
            let read = try await api.call(.post, "/api/v1/inbox/\(note.id)/read", as: InboxNotification.self)
            #expect(read.isRead)
            #expect(try await api.call(.get, "/api/v1/inbox?unread_only=true", as: Page<InboxNotification>.self).items.isEmpty)
            #expect(try await api.send(.delete, "/api/v1/inbox/\(note.id)").status == .noContent)
        }
    }

    @Test func rowLevelSecurityHidesOtherUsersRowsEvenWithoutTheFilter() async throws {
        let owner = SchedulerTestApp.newUser()
        try await SchedulerTestDatabase.withMigrated { database in
            _ = try await PostgresInboxStore(database: database, logger: SchedulerTestDatabase.logger)
                .create(CreateNotificationRequest(title: "t", body: "b"), for: owner)
            let seen = try await database.withTransaction(.user(SchedulerTestApp.newUser())) { connection in
                var count = 0
                for try await value in try await connection.query(
                    "SELECT count(*) FROM scheduler.notifications WHERE user_id = \(owner)", logger: SchedulerTestDatabase.logger
                ).decode(Int64.self) { count = Int(value) }
                return count
            }
            #expect(seen == 0)
        }
    }

    @Test func inboxBasics() async throws {
        let user = SchedulerTestApp.newUser()
        try await SchedulerTestApp.run(users: [user]) { client in
            let api = SchedulerAPI(client, user: user)
            let created = try await api.send(.post, "/api/v1/inbox", json: #"{"title": "a", "body": ""}"#)
            #expect(created.status == .created)
            _ = try await api.call(
                .post, "/api/v1/inbox", json: #"{"title": "b", "body": "x", "source": "agent", "priority": 0}"#, as: InboxNotification.self)
            #expect(try await api.send(.post, "/api/v1/inbox", json: #"{"title": "", "body": ""}"#).status == .badRequest)
            #expect(try await api.send(.post, "/api/v1/inbox", json: #"{"title": "c", "body": "", "priority": 6}"#).status == .badRequest)
            #expect(try await api.call(.get, "/api/v1/inbox/unread_count", as: UnreadCountResponse.self).unread == 2)
            #expect(try await api.call(.post, "/api/v1/inbox/read_all", as: ReadAllResponse.self).updated == 2)
            #expect(try await api.call(.post, "/api/v1/inbox/read_all", as: ReadAllResponse.self).updated == 0)
            let all = try await api.call(.get, "/api/v1/inbox?unread_only=false", as: Page<InboxNotification>.self)
            #expect(all.items.map(\.title) == ["b", "a"])
            #expect(all.items.allSatisfy { $0.isRead })
        }
    }
}

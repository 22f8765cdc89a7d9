import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import ServiceKit
import Testing

@testable import Scheduler

/// Leases are extended while an attempt runs (`TaskWorkerPool.maintainLeases`), at the worker
/// level: an attempt three times longer than `TASK_LEASE_SECONDS`, with two instances whose
/// reclaimers and workers would take the task over the moment its lease expired.
@Suite("Lease extension while an attempt runs")
struct LeaseExtensionTests {
    struct LeaseState: Sendable, CustomStringConvertible {
        var status: String
        var attempts: Int
        var owner: String?
        /// `lease_expires_at - now()` in seconds, nil without a lease.
        var remaining: Double?
        var description: String { "\(status) attempts=\(attempts) owner=\(owner ?? "-") remaining=\(remaining.map { "\($0)" } ?? "-")" }
    }

    static func state(of id: String, on database: Database) async throws -> LeaseState? {
        try await database.withTransaction(.system) { connection in
            let rows = try await connection.query(
                """
                SELECT status, attempts, lease_owner, extract(epoch FROM lease_expires_at - now())::float8
                FROM scheduler.tasks WHERE id = \(UUID(uuidString: id)!)
                """, logger: SchedulerTestDatabase.logger)
            for try await (status, attempts, owner, remaining) in rows.decode((String, Int, String?, Double?).self) {
                return LeaseState(status: status, attempts: attempts, owner: owner, remaining: remaining)
            }
            return nil
        }
    }

    @Test func anAttemptLongerThanItsLeaseIsNeitherReclaimedNorRunTwice() async throws {
        let user = SchedulerTestApp.newUser()
        let lease = 4.0  // seconds; extended every third of it, so a loaded machine has 2.7 s of slack
        let calls = CallLog()
        let router = Router()
        router.post("/slow") { _, _ -> Response in
            calls.record(.init(path: "/slow", method: "POST", body: "", identity: nil))
            try await Task.sleep(for: .seconds(3 * lease))  // three leases long
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"done":true}"#)))
        }
        let overrides = [
            "JOB_HTTP_ALLOWED_HOSTS": "127.0.0.1", "JOB_HTTP_TIMEOUT_MS": "60000", "TASK_LEASE_SECONDS": "\(Int(lease))",
            "TASK_WORKERS": "2", "TASK_POLL_INTERVAL_MS": "20",
        ]
        try await TestServer.run(router) { port in
            try await SchedulerTestDatabase.withMigrated { database in
                // Two instances, each with its own pool of two workers and its own lease keeper.
                try await SchedulerTestApp.run(overrides, users: [user]) { first in
                    try await SchedulerTestApp.run(overrides, users: [user]) { _ in
                        let api = SchedulerAPI(first, user: user)
                        let task = try await api.call(
                            .post, "/api/v1/tasks",
                            json: #"{"action": {"type": "http", "url": "http://127.0.0.1:\#(port)/slow"}, "max_attempts": 3}"#,
                            as: BackgroundTask.self)
                        _ = try await Eventually.wait({ calls.count }, until: { $0 >= 1 })
                        let started = ContinuousClock.now

                        // While the call runs, the task stays with the worker that leased it, and
                        // its lease keeps being pushed ahead of now.
                        var samples: [LeaseState] = []
                        while true {
                            guard let state = try await Self.state(of: task.id, on: database) else { break }
                            samples.append(state)
                            if state.status != "running" { break }
                            try await Task.sleep(for: .milliseconds(100))
                        }
                        let running = samples.filter { $0.status == "running" }
                        #expect(ContinuousClock.now - started >= .seconds(2 * lease), "the attempt ended early: \(samples)")
                        #expect(Set(running.map(\.owner)).count == 1, "the lease changed hands: \(running)")
                        #expect(running.allSatisfy { $0.attempts == 1 }, "\(running)")
                        #expect(running.allSatisfy { ($0.remaining ?? -1) > 0 }, "a lease ran out: \(running)")

                        let done = try await api.eventually(
                            { try await api.call(.get, "/api/v1/tasks/\(task.id)", as: BackgroundTask.self) },
                            until: { $0.status != .running && $0.status != .queued })
                        #expect(done.status == .succeeded)
                        #expect(done.attempts == 1)
                        #expect(done.lastError == nil)
                        #expect(done.result == ["status": 200, "body": ["done": true]])
                    }
                }
                #expect(calls.count == 1)
            }
        }
    }
}

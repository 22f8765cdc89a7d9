import ApexTestSupport
import Foundation
import PostgresNIO
import ServiceKit
import Testing

@testable import Scheduler

/// Row-level security on its own for every user table of apex-scheduler: statements here carry
/// no `user_id` filter, so only the `tenant_isolation` policies (0001) keep one user's jobs, runs,
/// tasks and notifications from another. (The API tests would pass on the filter alone.)
@Suite("Row-level security without the filter")
struct RowLevelSecurityTests {
    static let logger = SchedulerTestDatabase.logger
    static let tables = ["jobs", "job_runs", "tasks", "notifications"]

    /// One row of `user` in every user table; the run belongs to the job `job` (same user, as
    /// the foreign key demands).
    static func rows(of user: String, job: UUID) -> [(table: String, insert: PostgresQuery)] {
        [
            (
                "jobs",
                """
                INSERT INTO scheduler.jobs (id, user_id, name, cron_expression, action)
                VALUES (\(job), \(user), 'nightly', '@daily', '{"type": "notify", "title": "t"}')
                """
            ),
            ("job_runs", "INSERT INTO scheduler.job_runs (job_id, user_id, scheduled_for) VALUES (\(job), \(user), now())"),
            ("tasks", "INSERT INTO scheduler.tasks (user_id, action) VALUES (\(user), '{\"type\": \"memory_scan\"}')"),
            ("notifications", "INSERT INTO scheduler.notifications (user_id, title) VALUES (\(user), 'secret')"),
        ]
    }

    static func seed(_ user: String, on database: Database) async throws {
        try await database.withTransaction(.user(user)) { connection in
            for (_, insert) in Self.rows(of: user, job: UUID()) { _ = try await connection.query(insert, logger: Self.logger) }
        }
    }

    static let probe = RowLevelSecurityProbe(schema: "scheduler", logger: logger)

    @Test func anotherUserSeesNoneOfTheRowsWithoutAnyFilter() async throws {
        let alice = SchedulerTestApp.newUser()
        let bob = SchedulerTestApp.newUser()
        try await SchedulerTestDatabase.withMigrated { database in
            try await Self.seed(alice, on: database)
            for table in Self.tables {
                // Bob has no row anywhere: an unfiltered count that is not 0 is someone else's row.
                #expect(
                    try await Self.probe.unfilteredCount(table, scope: .user(bob), on: database) == 0, "scheduler.\(table) as another user")
                #expect(
                    try await Self.probe.unfilteredCount(table, scope: .user(alice), on: database) == 1, "scheduler.\(table) as its owner")
                let unscoped = try await database.withConnection { connection in
                    try await Self.probe.firstInt(PostgresQuery(unsafeSQL: "SELECT count(*) FROM scheduler.\(table)"), on: connection)
                }
                #expect(unscoped == 0, "scheduler.\(table) without a scope")
            }
            // Bob's UPDATE and DELETE aimed at Alice's rows reach none of them. (They name Alice, not
            // the whole table, so that broken policies would damage only this test's rows.)
            for table in Self.tables {
                try await database.withTransaction(.user(bob)) { connection in
                    let updated = try await Self.probe.firstInt(
                        PostgresQuery(
                            unsafeSQL:
                                "WITH u AS (UPDATE scheduler.\(table) SET user_id = user_id WHERE user_id = $1 RETURNING 1) SELECT count(*) FROM u",
                            binds: Self.binds(alice)),
                        on: connection)
                    let deleted = try await Self.probe.firstInt(
                        PostgresQuery(
                            unsafeSQL: "WITH d AS (DELETE FROM scheduler.\(table) WHERE user_id = $1 RETURNING 1) SELECT count(*) FROM d",
                            binds: Self.binds(alice)),
                        on: connection)
                    #expect(updated == 0 && deleted == 0, "scheduler.\(table)")
                }
                #expect(
                    try await Self.probe.unfilteredCount(table, scope: .user(alice), on: database) == 1, "scheduler.\(table) afterwards")
            }
            // The system scope (ticks, workers, retention) does see them.
            for table in Self.tables {
                let seen = try await database.withTransaction(.system) { connection in
                    try await Self.probe.firstInt(
                        PostgresQuery(unsafeSQL: "SELECT count(*) FROM scheduler.\(table) WHERE user_id = $1", binds: Self.binds(alice)),
                        on: connection)
                }
                #expect(seen == 1, "scheduler.\(table) as the system")
            }
        }
    }

    /// The policies have WITH CHECK: no row can be written in another user's name or handed over
    /// to another user (SQLSTATE 42501).
    @Test func rowsCannotBeWrittenInAnotherUsersName() async throws {
        let alice = SchedulerTestApp.newUser()
        let bob = SchedulerTestApp.newUser()
        try await SchedulerTestDatabase.withMigrated { database in
            try await Self.seed(alice, on: database)
            for (table, insert) in Self.rows(of: alice, job: UUID()) {
                #expect(
                    try await Self.probe.failure(of: insert, scope: .user(bob), on: database) == "42501", "INSERT into scheduler.\(table)")
            }
            for table in Self.tables {
                let handOver = PostgresQuery(
                    unsafeSQL: "UPDATE scheduler.\(table) SET user_id = $1 WHERE user_id = $2", binds: Self.binds(bob, alice))
                #expect(
                    try await Self.probe.failure(of: handOver, scope: .user(alice), on: database) == "42501", "UPDATE of scheduler.\(table)"
                )
            }
            for table in Self.tables {
                #expect(try await Self.probe.unfilteredCount(table, scope: .user(bob), on: database) == 0, "scheduler.\(table)")
                #expect(try await Self.probe.unfilteredCount(table, scope: .user(alice), on: database) == 1, "scheduler.\(table)")
            }
        }
    }

    static func binds(_ values: String...) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }
}

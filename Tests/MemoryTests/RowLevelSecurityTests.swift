import ApexTestSupport
import Foundation
import PostgresNIO
import ServiceKit
import Testing

@testable import Memory

/// Row-level security on its own, without the `user_id` filter every store query also carries:
/// statements here name no user, so only the `tenant_isolation` policies (0001, 0002, 0003) stand
/// between one user and another's rows. `TenantIsolationTests` goes through the API, where the
/// filter alone would already hide everything; these tests fail if a policy is missing, disabled
/// or not forced.
@Suite("Row-level security without the filter")
struct RowLevelSecurityTests {
    static let logger = MemoryTestDatabase.logger

    /// Writes `rows(of: user, session: "s1", chat: "c1")` as that user.
    static func insertRows(of user: String, on database: Database) async throws {
        try await database.withTransaction(.user(user)) { connection in
            for (_, insert) in Self.rows(of: user, session: "s1", chat: "c1") {
                _ = try await connection.query(insert, logger: Self.logger)
            }
        }
    }

    /// One row of `user` for every user table of apex-memory. `chat` and `session` are the ids
    /// the child rows point at (they belong to the same user, as the foreign keys demand).
    static func rows(of user: String, session: String, chat: String) -> [(table: String, insert: PostgresQuery)] {
        [
            (
                "sessions",
                "INSERT INTO memory.sessions (user_id, id, query, status, completed_at) VALUES (\(user), \(session), 'q', 'completed', now())"
            ),
            ("scanned_runs", "INSERT INTO memory.scanned_runs (user_id, session_id) VALUES (\(user), \(session))"),
            ("scan_failures", "INSERT INTO memory.scan_failures (user_id, session_id, last_error) VALUES (\(user), \(session), 'e')"),
            ("memories", "INSERT INTO memory.memories (user_id, text) VALUES (\(user), 'keeps the spare key under the mat')"),
            (
                "user_preferences",
                "INSERT INTO memory.user_preferences (user_id, hub, value) VALUES (\(user), 'preferences', '{\"pin\": 1234}')"
            ),
            (
                "chat_sessions",
                "INSERT INTO memory.chat_sessions (user_id, id, target_type, target_id) VALUES (\(user), \(chat), 'doc', 'd1')"
            ),
            ("chat_messages", "INSERT INTO memory.chat_messages (user_id, chat_id, role, content) VALUES (\(user), \(chat), 'user', 'hi')"),
            ("system_state", "INSERT INTO memory.system_state (user_id, key, value) VALUES (\(user), 'k', '\"v\"')"),
        ]
    }

    static var tables: [String] { rows(of: "x", session: "s", chat: "c").map(\.table) }

    static let probe = RowLevelSecurityProbe(schema: "memory", logger: logger)

    @Test func theServiceRoleIsSubjectToRowLevelSecurity() async throws {
        try await MemoryTestDatabase.withPrepared { database in
            let (superuser, bypass) = try await database.withConnection { connection in
                var flags = (true, true)
                for try await row in try await connection.query(
                    "SELECT rolsuper, rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = current_user", logger: Self.logger
                ).decode((Bool, Bool).self) { flags = row }
                return flags
            }
            #expect(!superuser && !bypass, "the tests must connect as a role row-level security applies to")
        }
    }

    @Test func anotherUserSeesNoneOfTheRowsWithoutAnyFilter() async throws {
        let alice = MemoryTestApp.newUser()
        let bob = MemoryTestApp.newUser()
        try await MemoryTestDatabase.withPrepared { database in
            try await Self.insertRows(of: alice, on: database)
            for table in Self.tables {
                // Bob has no row anywhere: an unfiltered count that is not 0 is someone else's row.
                #expect(
                    try await Self.probe.unfilteredCount(table, scope: .user(bob), on: database) == 0, "memory.\(table) as another user")
                // Alice sees exactly her own row (other tests' rows are hidden from her too).
                #expect(try await Self.probe.unfilteredCount(table, scope: .user(alice), on: database) == 1, "memory.\(table) as its owner")
            }
            // A connection that set no scope at all sees nobody's rows.
            for table in Self.tables {
                let seen = try await database.withConnection { connection in
                    try await Self.probe.firstInt(PostgresQuery(unsafeSQL: "SELECT count(*) FROM memory.\(table)"), on: connection)
                }
                #expect(seen == 0, "memory.\(table) without a scope")
            }

            // Bob's UPDATE and DELETE aimed at Alice's rows reach none of them. (They name Alice, not
            // the whole table, so that broken policies would damage only this test's rows.)
            for table in Self.tables {
                try await database.withTransaction(.user(bob)) { connection in
                    let updated = try await Self.probe.firstInt(
                        PostgresQuery(
                            unsafeSQL:
                                "WITH u AS (UPDATE memory.\(table) SET user_id = user_id WHERE user_id = $1 RETURNING 1) SELECT count(*) FROM u",
                            binds: Self.binds(alice)),
                        on: connection)
                    let deleted = try await Self.probe.firstInt(
                        PostgresQuery(
                            unsafeSQL: "WITH d AS (DELETE FROM memory.\(table) WHERE user_id = $1 RETURNING 1) SELECT count(*) FROM d",
                            binds: Self.binds(alice)),
                        on: connection)
                    #expect(updated == 0 && deleted == 0, "memory.\(table)")
                }
                #expect(
                    try await Self.probe.unfilteredCount(table, scope: .user(alice), on: database) == 1,
                    "memory.\(table) after Bob's DELETE")
            }
        }
    }

    /// The policies have WITH CHECK: a user can neither write a row in another user's name nor
    /// hand one of their rows over to another user (SQLSTATE 42501, "new row violates row-level
    /// security policy").
    @Test func rowsCannotBeWrittenInAnotherUsersName() async throws {
        let alice = MemoryTestApp.newUser()
        let bob = MemoryTestApp.newUser()
        try await MemoryTestDatabase.withPrepared { database in
            try await Self.insertRows(of: alice, on: database)
            // Bob inserts rows naming Alice (new ids, so no key conflict hides the refusal).
            for (table, insert) in Self.rows(of: alice, session: "s2", chat: "c2") {
                #expect(try await Self.probe.failure(of: insert, scope: .user(bob), on: database) == "42501", "INSERT into memory.\(table)")
            }
            // Alice gives one of her rows to Bob.
            for table in Self.tables {
                let handOver = PostgresQuery(
                    unsafeSQL: "UPDATE memory.\(table) SET user_id = $1 WHERE user_id = $2", binds: Self.binds(bob, alice))
                #expect(
                    try await Self.probe.failure(of: handOver, scope: .user(alice), on: database) == "42501", "UPDATE of memory.\(table)")
            }
            for table in Self.tables {
                #expect(try await Self.probe.unfilteredCount(table, scope: .user(bob), on: database) == 0, "memory.\(table)")
                #expect(try await Self.probe.unfilteredCount(table, scope: .user(alice), on: database) == 1, "memory.\(table)")
            }
        }
    }

    /// Each partition of `memory.memories` has row-level security forced and no policy (0003):
    /// reading or writing a partition directly, around the parent's policy, sees and writes nothing
    /// — not even the user's own rows.
    @Test func thePartitionsOfMemoriesCannotBeReadAroundThePolicy() async throws {
        let alice = MemoryTestApp.newUser()
        try await MemoryTestDatabase.withPrepared { database in
            try await database.withTransaction(.user(alice)) { connection in
                let memory = Self.rows(of: alice, session: "s", chat: "c").first { $0.table == "memories" }!
                _ = try await connection.query(memory.insert, logger: Self.logger)
            }
            let partitions = try await database.withConnection { connection in
                var names: [String] = []
                for try await name in try await connection.query(
                    "SELECT inhrelid::regclass::text FROM pg_catalog.pg_inherits WHERE inhparent = 'memory.memories'::regclass",
                    logger: Self.logger
                ).decode(String.self) { names.append(name) }
                return names
            }
            #expect(partitions.count == 16)
            let union = partitions.map { "SELECT count(*) AS n FROM \($0)" }.joined(separator: " UNION ALL ")
            let direct = try await database.withTransaction(.user(alice)) { connection in
                try await Self.probe.firstInt(PostgresQuery(unsafeSQL: "SELECT sum(n)::int8 FROM (\(union)) AS p"), on: connection)
            }
            #expect(direct == 0)
            #expect(try await Self.probe.unfilteredCount("memories", scope: .user(alice), on: database) == 1)
            for partition in partitions.prefix(2) {
                let insert = PostgresQuery(
                    unsafeSQL: "INSERT INTO \(partition) (user_id, text) VALUES ($1, 'written around the parent')", binds: Self.binds(alice)
                )
                #expect(try await Self.probe.failure(of: insert, scope: .user(alice), on: database) != nil, "INSERT into \(partition)")
            }
        }
    }

    static func binds(_ values: String...) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }
}

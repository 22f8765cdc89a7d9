import ApexTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import ServiceKit

@Suite("Migrations against PostgreSQL")
struct MigrationRunnerTests {
    let logger = Logger(label: "test.migrations")

    func files(_ schema: String) -> [Migration] {
        [
            Migration(name: "0001_people.sql", sql: "CREATE TABLE \(schema).people (id int PRIMARY KEY, name text NOT NULL);"),
            Migration(
                name: "0002_pets.sql",
                sql: """
                    CREATE TABLE \(schema).pets (id int PRIMARY KEY, owner int REFERENCES \(schema).people(id));
                    CREATE FUNCTION \(schema).pet_count() RETURNS bigint AS $$ SELECT count(*) FROM \(schema).pets; $$ LANGUAGE sql;
                    """),
        ]
    }

    func count(_ database: Database, _ schema: String) async throws -> Int {
        try await database.withConnection { connection in
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(schema).schema_migrations"), logger: logger)
            for try await value in rows.decode(Int.self) { return value }
            return 0
        }
    }

    @Test func applyingTwiceChangesNothing() async throws {
        let schema = TestDatabase.uniqueSchema("mig")
        try await TestDatabase.withDatabase { database in
            let runner = try MigrationRunner(schema: schema, migrations: files(schema))
            let first = try await runner.run(on: database, logger: logger)
            #expect(first.applied == ["0001_people.sql", "0002_pets.sql"])
            let second = try await runner.run(on: database, logger: logger)
            #expect(second.applied.isEmpty)
            #expect(second.alreadyApplied == ["0001_people.sql", "0002_pets.sql"])
            let total = try await count(database, schema)
            #expect(total == 2)
        }
    }

    @Test func concurrentMigratorsApplyEachFileOnce() async throws {
        let schema = TestDatabase.uniqueSchema("mig")
        let migrations = files(schema)
        // Four independent clients (as four replicas would have) race to migrate.
        let reports = try await withThrowingTaskGroup(of: MigrationRunner.Report.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await TestDatabase.withDatabase { database in
                        try await MigrationRunner(schema: schema, migrations: migrations).run(on: database, logger: logger)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let applied = reports.flatMap(\.applied)
        #expect(applied.sorted() == ["0001_people.sql", "0002_pets.sql"])
        let total = try await TestDatabase.withDatabase { database in try await count(database, schema) }
        #expect(total == 2)
    }

    @Test func anEditedAppliedFileIsRefused() async throws {
        let schema = TestDatabase.uniqueSchema("mig")
        try await TestDatabase.withDatabase { database in
            try await MigrationRunner(schema: schema, migrations: files(schema)).run(on: database, logger: logger)
            var edited = files(schema)
            edited[0] = Migration(name: "0001_people.sql", sql: edited[0].sql + "\n-- harmless edit")
            await #expect(throws: MigrationRunner.Failure.self) {
                try await MigrationRunner(schema: schema, migrations: edited).run(on: database, logger: logger)
            }
        }
    }

    @Test func aFailingFileLeavesNothingBehind() async throws {
        let schema = TestDatabase.uniqueSchema("mig")
        try await TestDatabase.withDatabase { database in
            let broken = [
                Migration(name: "0001_ok.sql", sql: "CREATE TABLE \(schema).ok (id int);"),
                Migration(name: "0002_broken.sql", sql: "CREATE TABLE \(schema).half (id int); SELECT * FROM no_such_table;"),
            ]
            await #expect(throws: (any Error).self) {
                try await MigrationRunner(schema: schema, migrations: broken).run(on: database, logger: logger)
            }
            let halfExists = try await database.withConnection { connection in
                let rows = try await connection.query("SELECT to_regclass(\(schema + ".half")) IS NOT NULL", logger: logger)
                for try await exists in rows.decode(Bool.self) { return exists }
                return true
            }
            #expect(!halfExists)
            let total = try await count(database, schema)
            #expect(total == 1)
        }
    }

    @Test func schemaNamesAreValidated() {
        #expect(throws: MigrationRunner.Failure.self) { try MigrationRunner(schema: "x; DROP TABLE y", migrations: []) }
    }

    @Test func checksumIsSHA256OfTheFile() {
        #expect(Migration(name: "a", sql: "abc").checksum == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

import ApexProtocol
import ApexTestSupport
import Foundation
import HummingbirdTesting
import Logging
import PostgresNIO
import SemanticSearch
import ServiceKit
import Testing

@testable import Rag

/// Only tenants above `SEARCH_EXACT_MAX_CHUNKS` have their chunks in the (partial) HNSW index;
/// the promoter moves a tenant in once it grows past it (migration 0002_graph_tenants.sql).
/// Each test has a database of its own: a promotion round looks at every tenant.
@Suite("HNSW graph membership")
struct GraphPromotionTests {
    static let logger = Logger(label: "test.rag.graph")

    /// Each topic is one short chunk; the queries share words with exactly one of them.
    static let topics = [
        ("tides.md", "Ocean tides follow the moon: two high waters a day on most coasts."),
        ("bread.md", "Sourdough bread rises slowly because wild yeast ferments the dough overnight."),
        ("volcano.md", "A volcano erupts when magma pressure cracks the crust and lava pours out."),
        ("chess.md", "In chess the knight moves in an L shape and can jump over other pieces."),
        ("bees.md", "Honey bees dance to tell the hive where the flowers with nectar are."),
        ("glacier.md", "Glaciers carve valleys as packed snow turns to ice and slides downhill."),
    ]

    @Test func aTenantPastTheThresholdIsMovedIntoTheGraphAndSmallOnesStayOut() async throws {
        try await TestDatabase.withScratchDatabase { url in
            let overrides = ["DATABASE_URL": url, "SEARCH_EXACT_MAX_CHUNKS": "3", "GRAPH_PROMOTION_INTERVAL_SECONDS": "1"]
            try await RagTestApp.make(overrides).test(.router) { client in
                let large = client.rag(as: "graph-large")
                let small = client.rag(as: "graph-small")
                for (filename, content) in Self.topics { _ = try await large.upload(filename, content) }
                for (filename, content) in Self.topics.prefix(2) { _ = try await small.upload(filename, content) }

                let queries = ["moon and coastal water", "yeast in dough", "lava from magma", "knight piece moves"]
                var before: [[String]] = []
                for query in queries { before.append(try await large.search(query).results.map(\.filename)) }

                let database = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url]))
                try await TestDatabase.withDatabase(settings: database) { database in
                    try await Self.waitUntilReady("graph-large", database: database)
                    #expect(try await Self.membership("graph-large", database: database) == [true: 6])
                    #expect(try await Self.membership("graph-small", database: database) == [false: 2])
                    #expect(try await Self.state("graph-small", database: database) == nil)
                }

                // Searched through the graph now: the same answers as the exact scan.
                for (query, expected) in zip(queries, before) {
                    let results = try await large.search(query).results.map(\.filename)
                    #expect(results == expected, "\(query)")
                    #expect(results.first == expected.first)
                }

                // New chunks of a tenant in the graph enter it at once; a small tenant's do not.
                _ = try await large.upload("comet.md", "A comet grows a glowing tail of gas and dust near the sun.")
                _ = try await small.upload("comet.md", "A comet grows a glowing tail of gas and dust near the sun.")
                let found = try await large.search("tail of a comet", mode: .vector, limit: 3)
                #expect(found.results.first?.filename == "comet.md")
                try await TestDatabase.withDatabase(settings: database) { (database: Database) async throws in
                    #expect(try await Self.membership("graph-large", database: database) == [true: 7])
                    #expect(try await Self.membership("graph-small", database: database) == [false: 3])
                }
            }
        }
    }

    /// The HNSW statement names `in_graph`, so the planner can use the partial index at all (with
    /// sorting and sequential scans priced out, on a one-row table, it has to if it can).
    @Test func theGraphStatementCanUseThePartialIndex() async throws {
        try await TestDatabase.withScratchDatabase { url in
            try await RagTestApp.make(["DATABASE_URL": url, "SEARCH_EXACT_MAX_CHUNKS": "0"]).test(.router) { client in
                let rag = client.rag(as: "graph-plan")
                _ = try await rag.upload("tides.md", Self.topics[0].1)
                let search = ChunkSearch(
                    mode: .vector, vector: [Float](repeating: 0.05, count: 384), keywords: KeywordQuery(""), limit: 5,
                    documentIDs: nil)
                let settings = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url]))
                try await TestDatabase.withDatabase(settings: settings) { database in
                    for exact in [false, true] {
                        let statement = try PostgresDocumentStore.searchStatement(
                            search, userID: "graph-plan", useVector: true, useKeyword: false, exact: exact, keywordMatchLimit: 1000)
                        let plan = try await database.withTransaction(
                            .user("graph-plan"), settings: [("enable_seqscan", "off"), ("enable_sort", "off")]
                        ) {
                            connection in
                            let rows = try await connection.query(
                                PostgresQuery(unsafeSQL: "EXPLAIN " + statement.sql, binds: statement.binds), logger: Self.logger)
                            var lines: [String] = []
                            for try await line in rows.decode(String.self) { lines.append(line) }
                            return lines.joined(separator: "\n")
                        }
                        #expect(plan.contains("document_chunks_embedding_graph_idx") == !exact, "\(plan)")
                    }
                }
            }
        }
    }

    /// An ingest that began before the tenant was registered may write a chunk outside the graph;
    /// the promoter's last step waits for it and moves it, so a `ready` tenant misses nothing.
    @Test func anIngestInFlightDuringPromotionStillEndsUpInTheGraph() async throws {
        try await TestDatabase.withScratchDatabase { url in
            let overrides = ["DATABASE_URL": url, "SEARCH_EXACT_MAX_CHUNKS": "1", "GRAPH_PROMOTION_INTERVAL_SECONDS": "3600"]
            // The app's own promoter runs a round as soon as it starts, racing the uploads below:
            // on a loaded machine it once promoted graph-race to `ready` before the open ingest
            // began. With a threshold it cannot reach it leaves the tenant to `store`.
            let appOverrides = overrides.merging(["SEARCH_EXACT_MAX_CHUNKS": "1000000"]) { _, new in new }
            try await RagTestApp.make(appOverrides).test(.router) { client in
                let rag = client.rag(as: "graph-race")
                for (filename, content) in Self.topics.prefix(3) { _ = try await rag.upload(filename, content) }

                let settings = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url]))
                try await TestDatabase.withDatabase(settings: settings) { database in
                    let store = PostgresDocumentStore(
                        database: database, logger: Self.logger, tuning: .init(settings: try RagTestApp.settings(overrides)))
                    try #require(try await Self.state("graph-race", database: database) == nil, "promoted before the test began")
                    let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
                    let (inserted, insertedContinuation) = AsyncStream<Void>.makeStream()
                    // An ingest that inserted a chunk before the tenant was registered and has not
                    // committed (the trigger took the tenant's graph lock shared).
                    let ingest = Task {
                        try await database.withTransaction(.user("graph-race")) { connection in
                            try await Self.insertChunkOutsideGraph("graph-race", on: connection)
                            insertedContinuation.finish()
                            for await _ in release { break }
                        }
                    }
                    for await _ in inserted { break }
                    let promotion = Task { try await store.promoteToGraph("graph-race") }

                    // The promoter moves the committed chunks, then waits for the open ingest. Polled
                    // (a fixed 500 ms was too short once on a loaded CI machine); a promoter that did
                    // not wait would reach `ready` and fail below.
                    let deadline = ContinuousClock.now + .seconds(15)
                    var state = try await Self.state("graph-race", database: database)
                    var membership = try await Self.membership("graph-race", database: database)
                    while state != "ready", state != "promoting" || membership != [true: 3], ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(50))
                        state = try await Self.state("graph-race", database: database)
                        membership = try await Self.membership("graph-race", database: database)
                    }
                    #expect(state == "promoting")
                    #expect(membership == [true: 3])
                    // Still waiting a moment later: the open ingest holds it.
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(try await Self.state("graph-race", database: database) == "promoting")

                    releaseContinuation.finish()
                    try await ingest.value
                    #expect(try await promotion.value == 4)
                    #expect(try await Self.state("graph-race", database: database) == "ready")
                    #expect(try await Self.membership("graph-race", database: database) == [true: 4])
                    #expect(try await store.tenantsDueForGraph().isEmpty)

                    // A chunk of a graph tenant left outside (as an older apex-rag serving during a
                    // rollout could leave one) makes the tenant due again, and the next round fixes it.
                    try await database.withTransaction(.user("graph-race")) { connection in
                        try await connection.query(
                            "UPDATE rag.document_chunks SET in_graph = false WHERE user_id = 'graph-race' AND content = 'late chunk'",
                            logger: Self.logger)
                    }
                    #expect(try await store.tenantsDueForGraph() == ["graph-race"])
                    // A regular round counts only the tenants it is given (those that ingested).
                    #expect(try await store.tenantsDueForGraph(among: ["graph-race"]) == ["graph-race"])
                    #expect(try await store.tenantsDueForGraph(among: ["someone-else"]).isEmpty)
                    #expect(try await store.promoteToGraph("graph-race") == 1)
                    #expect(try await Self.membership("graph-race", database: database) == [true: 4])

                    // Whatever writes a chunk of a graph tenant, even without naming the column, it
                    // enters the graph (the trigger).
                    try await database.withTransaction(.user("graph-race")) { connection in
                        try await connection.query(
                            """
                            INSERT INTO rag.document_chunks (id, document_id, user_id, chunk_index, content, embedding)
                            SELECT gen_random_uuid(), document_id, user_id, 1, 'older writer', embedding
                            FROM rag.document_chunks WHERE user_id = 'graph-race' AND content = 'late chunk'
                            """,
                            logger: Self.logger)
                    }
                    #expect(try await Self.membership("graph-race", database: database) == [true: 5])
                }
            }
        }
    }

    // MARK: - Reading the graph state directly

    static func waitUntilReady(_ userID: String, database: Database) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await state(userID, database: database) != "ready" {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(userID) was not moved into the graph within 30 s")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func state(_ userID: String, database: Database) async throws -> String? {
        try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query("SELECT state FROM rag.graph_tenants WHERE user_id = \(userID)", logger: logger)
            for try await state in rows.decode(String.self) { return state }
            return nil
        }
    }

    /// The tenant's chunks counted by `in_graph`.
    static func membership(_ userID: String, database: Database) async throws -> [Bool: Int] {
        try await database.withTransaction(.user(userID)) { connection in
            let rows = try await connection.query(
                "SELECT in_graph, count(*)::int8 FROM rag.document_chunks WHERE user_id = \(userID) GROUP BY in_graph", logger: logger)
            var counts: [Bool: Int] = [:]
            for try await (inGraph, count) in rows.decode((Bool, Int64).self) { counts[inGraph] = Int(count) }
            return counts
        }
    }

    static func insertChunkOutsideGraph(_ userID: String, on connection: PostgresConnection) async throws {
        let documentID = UUID()
        let hash = String(repeating: "ab", count: 32)
        try await connection.query(
            """
            INSERT INTO rag.documents (id, user_id, filename, doc_type, file_hash, total_chunks)
            VALUES (\(documentID), \(userID), 'late.md', 'markdown', \(hash), 1)
            """,
            logger: logger)
        let vector = "[" + Array(repeating: "0.05", count: 384).joined(separator: ",") + "]"
        try await connection.query(
            """
            INSERT INTO rag.document_chunks (id, document_id, user_id, chunk_index, content, embedding, in_graph)
            VALUES (gen_random_uuid(), \(documentID), \(userID), 0, 'late chunk', \(vector)::public.vector, false)
            """,
            logger: logger)
    }
}

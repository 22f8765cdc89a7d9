import Foundation
import Logging
import ServiceKit

/// bench-memory: loads the corpus, measures search through the service and through pgbench
/// (same SQL), then preference merge patches. Prints one block of figures per step.
enum MemoryBenchmark {
    static func main() async {
        do {
            let options = try BenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
            try await run(options)
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("bench-memory: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ options: BenchOptions) async throws {
        let logger = {
            var logger = Logger(label: "bench-memory")
            logger.logLevel = .warning
            return logger
        }()
        let corpus = BenchCorpus()
        let meter = CPUMeter(postgresDataDirectory: options.pgDataDirectory)
        var random = SplitMix64(seed: 7)
        // 100 (user, query) pairs: the service and pgbench run exactly these.
        let queries = (0..<100).map { _ in
            (user: BenchCorpus.userID(Int(random.next() % UInt64(BenchCorpus.users))), query: corpus.query(&random))
        }
        say("bench-memory \(Date()) rows=\(options.rows) clients=\(options.clients) duration=\(options.duration)s pool=\(options.pool)")

        if options.steps.contains("load") {
            let settings = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": options.databaseURL, "DB_POOL_MAX": "4"]))
            try await TaskGroupDatabase.with(settings: settings, logger: logger) { database in
                try await CorpusLoader(database: database, corpus: corpus, rows: options.rows, logger: logger).load()
            }
        }
        if options.steps.contains("plans") {
            let settings = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": options.databaseURL, "DB_POOL_MAX": "2"]))
            try await TaskGroupDatabase.with(settings: settings, logger: logger) { database in
                let plans = QueryPlans(database: database, logger: logger)
                for (user, query) in [(0, queries[0].query), (3, queries[0].query), (0, queries[1].query), (3, queries[1].query)] {
                    try await plans.print(user: BenchCorpus.userID(user), query: query)
                }
            }
        }
        if options.steps.contains("search") || options.steps.contains("preferences") {
            try await ServiceUnderTest.run(options) { client, servicePID in
                var meter = meter
                meter.servicePID = servicePID
                if options.steps.contains("search") {
                    let stats = try await SearchLoad(
                        client: client, queries: queries, clients: options.clients, duration: options.duration, warmup: options.warmup,
                        meter: meter
                    ).run()
                    say("service search (\(options.clients) clients, HTTP/2): \(stats)")
                }
                if options.steps.contains("preferences") {
                    let (stats, lost, keys) = try await PreferenceLoad(
                        client: client, clients: options.patchClients, duration: options.patchDuration, meter: meter
                    ).run()
                    say("preference patches (\(options.patchClients) clients, one user): \(stats); keys checked \(keys), lost \(lost)")
                }
            }
        }
        if options.steps.contains("pgbench") {
            guard let bin = options.pgBinDirectory else { throw BenchError("--pg-bindir is required for pgbench") }
            let stats = try PgbenchRun(
                binDirectory: bin, databaseURL: options.databaseURL, queries: queries, clients: options.clients,
                duration: options.duration, warmup: options.warmup, meter: meter
            ).run()
            say("pgbench same SQL (\(options.clients) clients; 'bench process' = pgbench): \(stats)")
        }
    }
}

/// A `Database` whose client runs for the duration of `body`.
enum TaskGroupDatabase {
    static func with<T: Sendable>(
        settings: DatabaseSettings, logger: Logger, _ body: @escaping @Sendable (Database) async throws -> T
    ) async throws -> T {
        let database = Database(settings: settings, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await database.client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(database)
        }!
    }
}

import ApexProtocol
import Embeddings
import Foundation
import Logging
import Rag
import ServiceKit

/// bench-rag: one command per step of Benchmarks/Rag/run.sh (see Benchmarks/Rag/README.md).
enum RagBenchmark {
    static func main() async {
        do {
            try await run(BenchOptions(arguments: Array(CommandLine.arguments.dropFirst())))
        } catch {
            FileHandle.standardError.write(Data("bench-rag: \(error)\n".utf8))
            exit(1)
        }
    }

    static let logger: Logger = {
        var logger = Logger(label: "bench-rag")
        logger.logLevel = .warning
        return logger
    }()

    static func serviceSettings() throws -> RagSettings {
        try RagSettings(environment: EnvironmentReader(BenchOptions.environment))
    }

    static func run(_ options: BenchOptions) async throws {
        let corpus = SyntheticCorpus()
        switch options.command {
        case "stats":
            printStatistics(corpus)
        case "load":
            let concurrency = try options.int("concurrency", default: 3)
            try await BenchDatabase.with(poolMax: concurrency + 1) { database in
                try await CorpusLoader(
                    database: database, corpus: corpus, concurrency: concurrency, reset: options.flag("reset"),
                    exactSearchMaxChunks: try serviceSettings().exactSearchMaxChunks, logger: logger
                ).load()
            }
        case "ingest":
            let chunks = try options.int("chunks", default: 20_000)
            let clients = try options.int("clients", default: 8)
            let prefix = options.string("prefix") ?? "ingest-user"
            try await ServiceConnection.with(url: try options.required("url")) { client in
                try await IngestLoad(client: client, corpus: corpus, chunks: chunks, clients: clients, prefix: prefix).run()
            }
        case "wrk-script":
            try WrkScript(workload: SearchWorkload(corpus: corpus, options: options)).write(to: try options.required("out"))
        case "pgbench":
            let workload = try SearchWorkload(corpus: corpus, options: options)
            let settings = try serviceSettings()
            let sizes = try await BenchDatabase.with { database in try await TenantSizes.load(database, logger: logger) }
            try PgbenchRun(
                binDirectory: try options.required("pg-bindir"), workload: workload, tenantSizes: sizes, settings: settings,
                clients: try options.int("clients", default: 16), duration: try options.int("duration", default: 30),
                warmup: try options.int("warmup", default: 5), keepScriptsIn: options.string("keep-scripts")
            ).run()
        case "recall":
            let settings = try serviceSettings()
            let efValues = (options.string("ef") ?? "40,100,200,400").split(separator: ",").compactMap { Int($0) }
            let queries = try options.int("queries", default: 200)
            let lightUser = try options.int("light-user", default: 1)
            try await BenchDatabase.with(poolMax: 2) { database in
                try await ServiceConnection.with(url: try options.required("url")) { client in
                    try await RecallCheck(
                        database: database, client: client, corpus: corpus, settings: settings, queries: queries,
                        efValues: efValues, lightUser: lightUser, logger: logger
                    ).run()
                }
            }
        case "sql":
            let user = try options.required("user")
            // Without --query: a query of the kind the search mix sends, made from this user's chunks.
            let userNumber = Int(user.suffix(2)) ?? 0
            var random = SplitMix64.seeded(31, UInt64(userNumber))
            let query = options.string("query") ?? corpus.query(user: userNumber, &random)
            print("-- \(user): \(query)")
            guard let mode = SearchMode(rawValue: options.string("mode") ?? "hybrid") else {
                throw BenchError("--mode is hybrid, vector or keyword")
            }
            let sizes = try await BenchDatabase.with { database in try await TenantSizes.load(database, logger: logger) }
            let transaction = RagBenchmarkSupport.searchTransaction(
                query: query, vector: HashEmbedder().vector(for: query), mode: mode, userID: user,
                tenantChunks: sizes[user] ?? 0, settings: try serviceSettings())
            var script = PgbenchRun.script(transaction)
            if options.flag("explain") {
                script = script.replacingOccurrences(of: "\nWITH ", with: "\nEXPLAIN (ANALYZE, BUFFERS, COSTS OFF) WITH ")
            }
            print(script, terminator: "")
        case "odd-queries":
            let repeats = try options.int("repeat", default: 10)
            try await ServiceConnection.with(url: try options.required("url")) { client in
                try await OddQueries(client: client, corpus: corpus, repeats: repeats).run()
            }
        default:
            throw BenchError("unknown command \(options.command)\n\(BenchOptions.usage)")
        }
    }

    /// Characters and words of a sample of chunks, and the vocabulary's shape.
    static func printStatistics(_ corpus: SyntheticCorpus) {
        var characters = 0
        var words = 0
        var chunks = 0
        var documents = 0
        for user in 0..<SyntheticCorpus.users {
            let plans = corpus.documents(user: user)
            documents += plans.count
            for plan in plans.prefix(40) {
                for chunk in 0..<plan.chunkCount {
                    let text = corpus.chunkText(user: user, document: plan.number, chunk: chunk)
                    characters += text.count
                    words += text.split(separator: " ").count
                    chunks += 1
                }
            }
        }
        print(
            "stats: \(documents) documents; sample of \(chunks) chunks: mean \(fmt(Double(characters) / Double(chunks))) characters, \(fmt(Double(words) / Double(chunks))) words"
        )
        print("stats: example chunk: \(corpus.chunkText(user: 0, document: 0, chunk: 0))")
        var random = SplitMix64(seed: 3)
        print(
            "stats: example queries: " + (0..<6).map { _ in corpus.query(user: Int(random.next() % 10), &random) }.joined(separator: " | "))
    }
}

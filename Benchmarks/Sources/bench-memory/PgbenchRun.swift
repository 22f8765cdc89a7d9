import Embeddings
import Foundation
import Memory
import SemanticSearch

#if canImport(Glibc)
import Glibc
#endif

/// pgbench running, per transaction, exactly what the service sends for one search: BEGIN, the
/// one `set_config` statement of the tenant scope and HNSW settings, the search statement,
/// COMMIT — with the same queries, users and limit as `SearchLoad`, one script file per query
/// (values inlined; `-M extended` so each statement is parsed, bound and executed as
/// postgres-nio does with its unnamed statements). This is the database limit the service is
/// compared with.
struct PgbenchRun {
    let binDirectory: String
    let databaseURL: String
    let queries: [(user: String, query: String)]
    let clients: Int
    let duration: Double
    let warmup: Double
    let meter: CPUMeter
    let candidates = 40
    let limit = 10

    func run() throws -> LatencyStats {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-memory-pgbench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let embedder = HashEmbedder()
        var scripts: [String] = []
        for (index, entry) in queries.prefix(100).enumerated() {
            let file = directory.appendingPathComponent("q\(index).sql")
            try script(user: entry.user, query: entry.query, embedder: embedder).write(to: file, atomically: true, encoding: .utf8)
            scripts.append(file.path)
        }
        // Transactions per client, not -T: pgbench ends a -T run on SIGALRM, which a process
        // started from this one may inherit blocked (it then never stops). The warm-up run's
        // rate sizes the measured run to last about `duration` seconds.
        let probe = try pgbench(scripts: scripts, transactionsPerClient: 10, logDirectory: nil)
        let rate = max(1, Double(clients * 10) / probe.elapsedSeconds)
        // Printed because it sizes the run: a probe slowed by cold storage makes a short run.
        say("pgbench probe: \(clients * 10) transactions in \(String(format: "%.2f", probe.elapsedSeconds)) s")
        if warmup > 0 {
            _ = try pgbench(scripts: scripts, transactionsPerClient: max(1, Int(rate * warmup) / clients), logDirectory: nil)
        }
        return try pgbench(scripts: scripts, transactionsPerClient: max(10, Int(rate * duration) / clients), logDirectory: directory)
    }

    func script(user: String, query: String, embedder: HashEmbedder) -> String {
        let keywords = KeywordQuery(query)
        var sql = MemoryBenchmarkSupport.searchStatement(keywordSide: keywords.isSearchable)
        let literals = [
            "$6": keywords.isSearchable ? quoted(keywords.text) : "NULL", "$5": String(limit), "$4": String(candidates),
            "$3": "NULL", "$2": quoted(user), "$1": quoted(PGVector.literal(embedder.vector(for: query))),
        ]
        for placeholder in ["$6", "$5", "$4", "$3", "$2", "$1"] {
            sql = sql.replacingOccurrences(of: placeholder, with: literals[placeholder]!)
        }
        let settings = [("apex.user_id", user), ("apex.system", "off")] + MemoryBenchmarkSupport.searchSettings(candidates: candidates)
        let scope = "SELECT " + settings.map { "set_config(\(quoted($0.0)), \(quoted($0.1)), true)" }.joined(separator: ", ") + ";"
        return "BEGIN;\n\(scope)\n\(sql.split(separator: "\n").joined(separator: " "));\nCOMMIT;\n"
    }

    private func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    private func pgbench(scripts: [String], transactionsPerClient: Int, logDirectory: URL?) throws -> LatencyStats {
        guard let url = URLComponents(string: databaseURL), let host = url.host, let user = url.user else {
            throw BenchError("cannot read the database URL")
        }
        var arguments = [
            "-n", "-M", "extended", "-c", String(clients), "-j", "2", "-t", String(transactionsPerClient),
            "-h", host, "-p", String(url.port ?? 5432), "-U", user, String(url.path.dropFirst()),
        ]
        if let logDirectory { arguments += ["-l", "--log-prefix", logDirectory.appendingPathComponent("log").path] }
        for script in scripts { arguments += ["-f", script] }
        let first = meter.read()
        let clientBefore = Self.childrenCPU()
        let started = ContinuousClock.now
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binDirectory).appendingPathComponent("pgbench")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = url.password ?? ""
        process.environment = environment
        // Output to a file, not a pipe: nothing can block on a full or never-closed pipe.
        let outputFile = (logDirectory ?? FileManager.default.temporaryDirectory).appendingPathComponent("pgbench-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try output.close()
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        let last = meter.read()
        let clientCPU = Self.childrenCPU() - clientBefore
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else { throw BenchError("pgbench failed:\n\(text)") }
        // Throughput as pgbench reports it (without connection set-up), else wall clock.
        let tps = text.split(separator: "\n").first { $0.hasPrefix("tps = ") }
            .flatMap { Double($0.dropFirst(6).prefix { $0 != " " }) }
        let measured = tps.map { Double(clients * transactionsPerClient) / $0 } ?? elapsed
        guard let logDirectory else { return LatencyStats(samplesMilliseconds: [], elapsedSeconds: measured) }
        // Per-transaction log lines: client_id transaction_no latency_us script_no epoch_s epoch_us
        var samples: [Double] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: logDirectory.path) where file.hasPrefix("log.") {
            let content = try String(contentsOf: logDirectory.appendingPathComponent(file), encoding: .utf8)
            for line in content.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count >= 3, let micros = Double(fields[2]) { samples.append(micros / 1000) }
            }
        }
        let failed = text.split(separator: "\n").first { $0.contains("number of failed transactions") }
        if let failed { say("pgbench: \(failed)") }
        return LatencyStats(
            samplesMilliseconds: samples, elapsedSeconds: measured, processCPU: clientCPU,
            postgresCPU: last.postgres.flatMap { end in first.postgres.map { end - $0 } })
    }

    /// CPU seconds of reaped child processes (pgbench, once it has exited).
    static func childrenCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

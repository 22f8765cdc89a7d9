import Embeddings
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Memory
import SemanticSearch

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
        if warmup > 0 { _ = try pgbench(scripts: scripts, seconds: max(1, Int(warmup)), logDirectory: nil) }
        return try pgbench(scripts: scripts, seconds: Int(duration), logDirectory: directory)
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

    private func pgbench(scripts: [String], seconds: Int, logDirectory: URL?) throws -> LatencyStats {
        guard let url = URLComponents(string: databaseURL), let host = url.host, let user = url.user else {
            throw BenchError("cannot read the database URL")
        }
        var arguments = [
            "-n", "-M", "extended", "-c", String(clients), "-j", "2", "-T", String(seconds),
            "-h", host, "-p", String(url.port ?? 5432), "-U", user, String(url.path.dropFirst()),
        ]
        if let logDirectory { arguments += ["-l", "--log-prefix", logDirectory.appendingPathComponent("log").path] }
        for script in scripts { arguments += ["-f", script] }
        let first = meter.read()
        let clientBefore = Self.childrenCPU()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binDirectory).appendingPathComponent("pgbench")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = url.password ?? ""
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let last = meter.read()
        let clientCPU = Self.childrenCPU() - clientBefore
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw BenchError("pgbench failed:\n\(text)") }
        guard let logDirectory else { return LatencyStats(samplesMilliseconds: [], elapsedSeconds: Double(seconds)) }
        // Per-transaction log lines: client_id transaction_no latency_us script_no epoch_s epoch_us
        var samples: [Double] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: logDirectory.path) where file.hasPrefix("log") {
            let content = try String(contentsOf: logDirectory.appendingPathComponent(file), encoding: .utf8)
            for line in content.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count >= 3, let micros = Double(fields[2]) { samples.append(micros / 1000) }
            }
        }
        let failed = text.split(separator: "\n").first { $0.contains("number of failed transactions") }
        if let failed { say("pgbench: \(failed)") }
        return LatencyStats(
            samplesMilliseconds: samples, elapsedSeconds: Double(seconds), processCPU: clientCPU,
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

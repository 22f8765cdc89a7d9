import Embeddings
import Foundation
import Rag
import ServiceKit

/// pgbench running, per transaction, exactly what apex-rag sends for one search: BEGIN; the one
/// `SELECT set_config(…)` of the tenant scope (plus `hnsw.ef_search` / `hnsw.iterative_scan`
/// when the tenant is searched through HNSW); the search statement; COMMIT — for the same
/// queries, users, limit and settings as the wrk run. One script file per query (values written
/// as literals: pgbench variables hold numbers only, so varied text and vectors need one file
/// each); pgbench picks a script at random per transaction. `-M extended`: each statement is
/// parsed, bound and executed like postgres-nio's unnamed statements.
struct PgbenchRun {
    let binDirectory: String
    let workload: SearchWorkload
    let tenantSizes: [String: Int]
    let settings: RagSettings
    let clients: Int
    let duration: Int
    let warmup: Int
    let keepScriptsIn: String?

    func run() throws {
        let directory = URL(fileURLWithPath: keepScriptsIn ?? NSTemporaryDirectory()).appendingPathComponent(
            "bench-rag-pgbench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keepScriptsIn == nil { try? FileManager.default.removeItem(at: directory) } }
        let embedder = HashEmbedder()
        var scripts: [String] = []
        var exactCount = 0
        for (index, entry) in workload.queries.prefix(128).enumerated() {
            let transaction = RagBenchmarkSupport.searchTransaction(
                query: entry.query, vector: embedder.vector(for: entry.query), mode: workload.mode, limit: workload.limit,
                userID: entry.user, tenantChunks: tenantSizes[entry.user] ?? 0, settings: settings)
            if transaction.exact { exactCount += 1 }
            let file = directory.appendingPathComponent("q\(index).sql")
            try Self.script(transaction).write(to: file, atomically: true, encoding: .utf8)
            scripts.append(file.path)
        }
        print("pgbench: \(scripts.count) scripts (\(exactCount) exact-scan, \(scripts.count - exactCount) HNSW) in \(directory.path)")
        if warmup > 0 { _ = try pgbench(scripts: scripts, seconds: warmup, logDirectory: nil) }
        let stats = try pgbench(scripts: scripts, seconds: duration, logDirectory: directory)
        print("pgbench RESULT clients=\(clients) \(stats)")
    }

    /// The transaction as a pgbench script; each statement on one line.
    static func script(_ transaction: RagBenchmarkSupport.SearchTransaction) -> String {
        let scope =
            "SELECT "
            + transaction.settings.map {
                "set_config(\(RagBenchmarkSupport.quoted($0.0)), \(RagBenchmarkSupport.quoted($0.1)), true)"
            }.joined(separator: ", ")
        let statement = transaction.statement.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return "BEGIN;\n\(scope);\n\(statement);\nCOMMIT;\n"
    }

    private func pgbench(scripts: [String], seconds: Int, logDirectory: URL?) throws -> LatencyStats {
        let url = try BenchOptions.environmentValue("DATABASE_URL")
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw BenchError("cannot read DATABASE_URL")
        }
        var arguments = [
            "-n", "-M", "extended", "-c", String(clients), "-j", "2", "-T", String(seconds),
            "-h", host, "-p", String(components.port ?? 5432), "-U", user, String(components.path.dropFirst()),
        ]
        if let logDirectory { arguments += ["-l", "--log-prefix", logDirectory.appendingPathComponent("log").path] }
        for script in scripts { arguments += ["-f", script] }
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = components.password ?? ""
        let (status, text) = try ChildProcess.run(
            URL(fileURLWithPath: binDirectory).appendingPathComponent("pgbench").path, arguments, environment: environment)
        guard status == 0 else { throw BenchError("pgbench failed:\n\(text.suffix(4000))") }
        guard let logDirectory else { return LatencyStats(samplesMilliseconds: [], elapsedSeconds: Double(seconds)) }
        for line in text.split(separator: "\n") where line.hasPrefix("number of failed") || line.hasPrefix("tps") {
            print("pgbench: \(line)")
        }
        // Per-transaction log lines: client_id transaction_no latency_us script_no epoch_s epoch_us
        var samples: [Double] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: logDirectory.path) where file.hasPrefix("log") {
            let content = try String(contentsOf: logDirectory.appendingPathComponent(file), encoding: .utf8)
            for line in content.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count >= 3, let micros = Double(fields[2]) { samples.append(micros / 1000) }
            }
            try FileManager.default.removeItem(at: logDirectory.appendingPathComponent(file))
        }
        return LatencyStats(samplesMilliseconds: samples, elapsedSeconds: Double(seconds))
    }
}

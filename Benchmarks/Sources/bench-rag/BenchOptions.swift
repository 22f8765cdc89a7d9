import Foundation

/// The command line of bench-rag: a command, then `--name value` flags (`--reset` alone).
///
/// Settings the service also reads (`DATABASE_URL`, `INTERNAL_AUTH_SECRET`, `SEARCH_EF_SEARCH`,
/// `SEARCH_EXACT_MAX_CHUNKS`) come from the environment, so the benchmark and the apex-rag it
/// measures cannot disagree about them.
struct BenchOptions {
    static let usage = """
        usage: bench-rag <command> [flags]          (see Benchmarks/Rag/README.md)
          stats                                      corpus statistics, no database
          load       [--reset] [--concurrency N]     load the corpus directly (same SQL as ingest), build indexes
          ingest     --url URL [--chunks N] [--clients N] [--prefix P]   POST /api/v1/documents throughput
          wrk-script --out FILE [--queries N] [--users all|heavy|light] [--mode hybrid|vector|keyword]
          pgbench    --pg-bindir DIR [--clients N] [--duration S] [--warmup S] [--queries N] [--users …] [--mode …]
          recall     --url URL [--queries N] [--ef 40,100,…] [--light-user N]
          sql        --user ID [--query TEXT] [--mode …] [--explain]   the transaction one search sends, for psql
          odd-queries --url URL [--repeat N]         pathological and odd query strings through the service
        environment: DATABASE_URL, INTERNAL_AUTH_SECRET, SEARCH_EF_SEARCH, SEARCH_EXACT_MAX_CHUNKS (as for apex-rag)
        """

    let command: String
    private var flags: [String: String] = [:]

    init(arguments: [String]) throws {
        guard let command = arguments.first else { throw BenchError(Self.usage) }
        self.command = command
        var index = 1
        while index < arguments.count {
            let name = arguments[index]
            guard name.hasPrefix("--") else { throw BenchError("unexpected \(name)\n\(Self.usage)") }
            if name == "--reset" || name == "--explain" {
                flags[String(name.dropFirst(2))] = "true"
                index += 1
            } else {
                guard index + 1 < arguments.count else { throw BenchError("\(name) needs a value") }
                flags[String(name.dropFirst(2))] = arguments[index + 1]
                index += 2
            }
        }
    }

    func string(_ name: String) -> String? { flags[name] }

    func required(_ name: String) throws -> String {
        guard let value = flags[name] else { throw BenchError("--\(name) is required for \(command)\n\(Self.usage)") }
        return value
    }

    func int(_ name: String, default fallback: Int) throws -> Int {
        guard let raw = flags[name] else { return fallback }
        guard let value = Int(raw) else { throw BenchError("--\(name) needs an integer, not \(raw)") }
        return value
    }

    func double(_ name: String, default fallback: Double) throws -> Double {
        guard let raw = flags[name] else { return fallback }
        guard let value = Double(raw) else { throw BenchError("--\(name) needs a number, not \(raw)") }
        return value
    }

    func flag(_ name: String) -> Bool { flags[name] == "true" }

    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static func environmentValue(_ name: String) throws -> String {
        guard let value = environment[name], !value.isEmpty else { throw BenchError("\(name) must be set (as for apex-rag)") }
        return value
    }
}

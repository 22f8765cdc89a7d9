import SemanticSearch

/// What the benchmark (Benchmarks/Sources/bench-memory) needs from inside the service to
/// measure it against the database limit: the exact search statement the store runs, so
/// pgbench can run the same SQL.
public enum MemoryBenchmarkSupport {
    /// The search statement with `$1`…`$6` placeholders (see `MemorySearchSQL.query`).
    public static func searchStatement(keywordSide: Bool, keywordMatchLimit: Int = MemorySettings.defaultKeywordMatchLimit) -> String {
        MemorySearchSQL.sql(keywordSide: keywordSide, keywordMatchLimit: keywordMatchLimit)
    }

    /// The transaction-local settings each search sets with its tenant scope.
    public static func searchSettings(candidates: Int) -> [(String, String)] {
        MemorySearchSQL.settings(candidates: candidates)
    }
}

import Embeddings
import Logging
import Memory
import PostgresNIO
import SemanticSearch
import ServiceKit

/// `--only plans`: EXPLAIN ANALYZE of the search statement for the heavy user and a light one,
/// inside the same kind of transaction the service uses (tenant scope, HNSW settings), so
/// row-level security and the settings shape the plan exactly as in production.
struct QueryPlans {
    let database: Database
    let logger: Logger

    func print(user: String, query: String) async throws {
        let embedder = HashEmbedder()
        let keywords = KeywordQuery(query)
        var binds = PostgresBindings()
        binds.append(PGVector.literal(embedder.vector(for: query)))
        binds.append(user)
        binds.appendNull()
        binds.append(40)
        binds.append(10)
        if keywords.isSearchable { binds.append(keywords.text) }
        let sql = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + MemoryBenchmarkSupport.searchStatement(keywordSide: keywords.isSearchable)
        let logger = self.logger
        let statement = PostgresQuery(unsafeSQL: sql, binds: binds)
        let lines = try await database.withTransaction(.user(user), settings: MemoryBenchmarkSupport.searchSettings(candidates: 40)) {
            connection in
            var lines: [String] = []
            for try await line in try await connection.query(statement, logger: logger).decode(String.self) {
                lines.append(line)
            }
            return lines
        }
        say("== \(user) \"\(query)\"")
        for line in lines where line.contains("actual time") || line.contains("Time:") || line.contains("Rows Removed") {
            say(String(line.prefix(160)))
        }
    }
}

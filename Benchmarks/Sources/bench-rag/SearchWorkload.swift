import ApexProtocol
import Foundation

/// The query list both load generators use (wrk through the service, pgbench on the database):
/// the first `count` queries of the corpus's query mix, optionally only the heavy or only light
/// users.
struct SearchWorkload {
    let queries: [(user: String, query: String)]
    let mode: SearchMode
    let limit = 10

    init(corpus: SyntheticCorpus, options: BenchOptions) throws {
        let count = try options.int("queries", default: 100)
        let users = options.string("users") ?? "all"
        let heavy = SyntheticCorpus.userID(0)
        let all = corpus.queryMix(count: count * 20)
        let chosen: [(user: String, query: String)]
        switch users {
        case "all": chosen = all
        case "heavy": chosen = all.filter { $0.user == heavy }
        case "light": chosen = all.filter { $0.user != heavy }
        default: throw BenchError("--users is all, heavy or light")
        }
        queries = Array(chosen.prefix(count))
        guard let mode = SearchMode(rawValue: options.string("mode") ?? "hybrid") else {
            throw BenchError("--mode is hybrid, vector or keyword")
        }
        self.mode = mode
    }

    func body(_ query: String) throws -> String {
        String(decoding: try ApexJSON.encode(SearchRequest(query: query, limit: limit, mode: mode)), as: UTF8.self)
    }
}

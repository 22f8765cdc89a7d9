public import ApexProtocol
import Foundation
import SemanticSearch

/// What the benchmark (Benchmarks/Sources/bench-rag) needs from inside the service to compare
/// it with the database limit: the exact transaction the store runs for one search, with every
/// value written as a SQL literal, so pgbench runs the same SQL with the same parameters.
public enum RagBenchmarkSupport {
    /// One search as the store sends it: the transaction-local settings of its first statement
    /// (tenant scope, then HNSW settings when the index is walked) and the search statement.
    public struct SearchTransaction: Sendable {
        public let settings: [(String, String)]
        public let statement: String
        /// Whether the vector side compares every vector of the tenant instead of walking HNSW.
        public let exact: Bool
    }

    /// The transaction for `query` by `userID`, a tenant holding `tenantChunks` chunks, all of
    /// them in the HNSW graph when there are more than `SEARCH_EXACT_MAX_CHUNKS` (the benchmark's
    /// loader puts them there, as the service's promoter would).
    ///
    /// - Parameters:
    ///   - vector: the query's embedding (the service's embedder applied to `query`).
    ///   - iterativeScan: whether pgvector ≥ 0.8 (the service checks this at start).
    public static func searchTransaction(
        query: String, vector: [Float], mode: SearchMode = .hybrid, limit: Int = 10, documentIDs: [String]? = nil,
        userID: String, tenantChunks: Int, settings: RagSettings, iterativeScan: Bool = true
    ) -> SearchTransaction {
        let tuning = PostgresDocumentStore.Tuning(settings: settings)
        let search = ChunkSearch(mode: mode, vector: vector, keywords: KeywordQuery(query), limit: limit, documentIDs: documentIDs)
        let useVector = mode != .keyword
        let useKeyword = mode != .vector && search.keywords.isSearchable
        let size = TenantSize(chunks: tenantChunks, inGraph: true)
        let exact = documentIDs != nil || !size.searchesGraph(exactSearchMaxChunks: tuning.exactSearchMaxChunks)
        var transactionSettings = [("apex.user_id", userID), ("apex.system", "off")]
        if useVector, !exact {
            transactionSettings += PostgresDocumentStore.indexScanSettings(
                tuning: tuning, candidates: search.candidates, iterative: iterativeScan)
        }
        let statement = PostgresDocumentStore.searchSQL(
            search, userID: userID, useVector: useVector, useKeyword: useKeyword, exact: exact,
            keywordMatchLimit: tuning.keywordMatchLimit
        ) { value in
            switch value {
            case .text(let text): quoted(text)
            case .integer(let number): String(number)
            case .uuids(let uuids): quoted("{" + uuids.map { $0.uuidString.lowercased() }.joined(separator: ",") + "}")
            }
        }
        return SearchTransaction(settings: transactionSettings, statement: statement, exact: exact)
    }

    /// A SQL string literal (standard_conforming_strings is on in every supported PostgreSQL).
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

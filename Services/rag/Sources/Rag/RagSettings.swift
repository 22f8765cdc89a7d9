public import SemanticSearch
public import ServiceKit

/// The settings of apex-rag: the common ones, the embedder, chunking and search tuning.
public struct RagSettings: ServiceConfiguration {
    public var common: ServiceSettings
    public var embedder: EmbedderSettings
    /// `CHUNK_SIZE` / `CHUNK_OVERLAP`, in characters.
    public var chunker: TextChunker
    /// `SEARCH_EF_SEARCH`: the HNSW candidate list (recall against speed for large tenants).
    public var efSearch: Int
    /// `SEARCH_EXACT_MAX_CHUNKS`: tenants with at most this many chunks are searched exactly
    /// (every vector compared): cheaper than a filtered HNSW walk for them, and recall 1.0.
    public var exactSearchMaxChunks: Int
    /// `EMBED_BATCH_SIZE`: chunks embedded per call.
    public var embedBatchSize: Int
    /// `KEYWORD_MATCH_LIMIT` (default 1000): the keyword side ranks at most this many of a
    /// tenant's matching chunks. A query of common words can match most of a large tenant, and
    /// ranking every match (`ts_rank_cd` on each chunk's TOASTed `tsvector`) took 140–230 ms on
    /// the benchmark's 50,000-chunk tenant against 17–20 ms capped (Benchmarks/Rag/README.md).
    /// Such queries carry little keyword signal; the vector side still ranks the whole tenant.
    public var keywordMatchLimit: Int
    /// `GRAPH_PROMOTION_INTERVAL_SECONDS` (default 30): how often apex-rag looks for tenants that
    /// outgrew `SEARCH_EXACT_MAX_CHUNKS` and moves their chunks into the HNSW graph. Only those
    /// tenants' chunks are in the graph, so small tenants' ingest skips HNSW maintenance.
    public var graphPromotionInterval: Duration

    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        self.common = try ServiceSettings(service: .rag, environment: environment, defaultPort: 8080)
        self.embedder = try EmbedderSettings(environment: environment)
        do {
            self.chunker = try TextChunker(environment: environment.values)
        } catch {
            throw ConfigurationError(error.variable, error.problem)
        }
        self.efSearch = try environment.int("SEARCH_EF_SEARCH", default: 100, range: 10...1000)
        self.exactSearchMaxChunks = try environment.int("SEARCH_EXACT_MAX_CHUNKS", default: 20_000, range: 0...10_000_000)
        self.embedBatchSize = try environment.int("EMBED_BATCH_SIZE", default: 64, range: 1...2048)
        self.keywordMatchLimit = try environment.int("KEYWORD_MATCH_LIMIT", default: 1000, range: 50...10_000_000)
        self.graphPromotionInterval = .seconds(try environment.int("GRAPH_PROMOTION_INTERVAL_SECONDS", default: 30, range: 1...86_400))
    }
}

public import SemanticSearch
public import ServiceKit

/// The settings of apex-memory: the common ones (see README's configuration table) and its own.
///
/// Every variable is read once here; a malformed value stops start-up with one line naming it.
public struct MemorySettings: ServiceConfiguration {
    public var common: ServiceSettings
    /// `EMBEDDING_PROVIDER` and friends, shared with rag (SemanticSearch reads them).
    public var embedder: EmbedderSettings
    /// `MEMORY_DEDUP_THRESHOLD`: a new memory whose cosine similarity to one of the user's
    /// memories reaches this value refreshes that memory instead of adding a near-duplicate.
    public var dedupThreshold: Double
    /// `MEMORY_SEARCH_CANDIDATES`: rows each side of a search (vector, keyword) ranks before
    /// fusion; also the HNSW `ef_search`.
    public var searchCandidates: Int
    /// `KEYWORD_MATCH_LIMIT` (default 1000): the keyword side ranks at most this many of the
    /// user's matching memories. A query of common words matched 9,039 of the benchmark's
    /// 50,000-memory user and ranking them all took ~95 ms (Benchmarks/Memory/README.md).
    public var keywordMatchLimit: Int
    /// How the memory scan extracts memories (`LLM_PROVIDER` and friends, `MEMORY_SCAN_*`).
    public var scan: MemoryScanSettings
    /// `/internal/retention` (`CHAT_MESSAGES_RETENTION_DAYS`, `SESSIONS_RETENTION_DAYS`,
    /// `RETENTION_BATCH_SIZE`).
    public var retention: RetentionPolicy

    public static let defaultDedupThreshold = 0.95
    public static let defaultSearchCandidates = 40
    public static let defaultKeywordMatchLimit = 1000

    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        self.common = try ServiceSettings(service: .memory, environment: environment, defaultPort: 8080)
        self.embedder = try EmbedderSettings(environment: environment)
        self.dedupThreshold = try environment.double(
            "MEMORY_DEDUP_THRESHOLD", default: Self.defaultDedupThreshold, range: 0.5...1.0)
        self.searchCandidates = try environment.int(
            "MEMORY_SEARCH_CANDIDATES", default: Self.defaultSearchCandidates, range: 10...1000)
        self.keywordMatchLimit = try environment.int(
            "KEYWORD_MATCH_LIMIT", default: Self.defaultKeywordMatchLimit, range: 50...10_000_000)
        self.scan = try MemoryScanSettings(environment: environment)
        self.retention = try RetentionPolicy(environment: environment)
    }
}

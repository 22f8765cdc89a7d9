import SemanticSearch

/// One memory search: the query's embedding and its keyword form, the caller's filters, and how
/// many candidates each ranking contributes before fusion.
struct MemorySearch: Sendable {
    var embedding: [Float]
    var keywords: KeywordQuery
    var limit: Int
    var category: String?
    var candidates: Int
    /// At most this many keyword matches are ranked (`KEYWORD_MATCH_LIMIT`).
    var keywordMatchLimit: Int = MemorySettings.defaultKeywordMatchLimit
}

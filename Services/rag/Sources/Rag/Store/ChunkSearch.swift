import ApexProtocol
import SemanticSearch

/// One search, ready for the store: the embedded query, the safe keyword text, the mode.
struct ChunkSearch: Sendable {
    let mode: SearchMode
    let vector: [Float]?
    let keywords: KeywordQuery
    let limit: Int
    let documentIDs: [String]?

    /// Each side is over-fetched so fusion has candidates ranked well by the other side.
    var candidates: Int { max(40, limit * 4) }
}

/// A tenant's chunk count and whether its chunks are all in the HNSW graph.
struct TenantSize: Sendable, Equatable {
    var chunks: Int
    var inGraph: Bool

    /// Whether search may walk the HNSW graph for this tenant rather than compare every vector.
    func searchesGraph(exactSearchMaxChunks: Int) -> Bool {
        inGraph && chunks > exactSearchMaxChunks
    }
}

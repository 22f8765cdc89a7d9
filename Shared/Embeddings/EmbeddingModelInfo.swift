/// Identifies an embedding model: the name recorded next to stored vectors and their dimension.
///
/// A service whose configured embedder reports a different `EmbeddingModelInfo` than the one
/// recorded in its schema refuses to start (vectors of different models are not comparable).
public struct EmbeddingModelInfo: Sendable, Hashable {
    /// Model name, e.g. `all-MiniLM-L6-v2` or `hash-v1`.
    public let name: String
    /// Number of entries of every vector the model produces.
    public let dimension: Int

    public init(name: String, dimension: Int) {
        self.name = name
        self.dimension = dimension
    }
}

/// Turns texts into unit-length vectors for similarity search.
///
/// Implementations: `HashEmbedder` (deterministic, for tests), `MiniLMEmbedder`
/// (all-MiniLM-L6-v2 run in-process).
public protocol Embedder: Sendable {
    var model: EmbeddingModelInfo { get }
    /// Embeds texts in order; each vector has `model.dimension` entries and unit L2 norm.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

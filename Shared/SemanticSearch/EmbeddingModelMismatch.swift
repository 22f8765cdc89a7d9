/// The configured embedding model differs from the one the stored vectors were made with.
///
/// Mixing vectors of two models makes every similarity meaningless, so the service refuses to
/// start and says how to re-embed.
public enum EmbeddingModelMismatch: Error, CustomStringConvertible, Sendable {
    case different(schema: String, recorded: String, recordedDimension: Int, configured: String, configuredDimension: Int)
    case unavailable(String)

    public var description: String {
        switch self {
        case .different(let schema, let recorded, let recordedDimension, let configured, let configuredDimension):
            "the \(schema) schema holds vectors of \(recorded) (\(recordedDimension) dimensions) but the service is configured "
                + "for \(configured) (\(configuredDimension) dimensions). Either set EMBEDDING_PROVIDER back to the recorded model, "
                + "or re-embed: stop the service, run `DELETE FROM \(schema).embedding_model; "
                + "ALTER TABLE … DROP COLUMN embedding;` (see docs/operations.md) and start it again to re-index."
        case .unavailable(let reason):
            reason
        }
    }
}

/// A memory an extractor found in a session, before it is embedded and stored.
struct ExtractedMemory: Sendable, Equatable {
    var text: String
    /// `[a-z0-9_-]{1,64}`: `preference`, `fact`, `instruction` from the rules; the model's choice
    /// (sanitised) from a language model.
    var category: String
    var confidence: Double
}

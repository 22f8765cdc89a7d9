/// The embedder answered an empty list for one text: a broken embedder, answered as a 500.
struct EmbedderReturnedNoVector: Error, CustomStringConvertible {
    var description: String { "the embedder returned no vector for a text" }
}

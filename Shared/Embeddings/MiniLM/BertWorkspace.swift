/// The work buffers of an encoder pass, kept between passes so that a busy embedder does not
/// allocate (and page-fault in) tens of megabytes per pass. Grows to the largest pass seen:
/// 10.5 KB per token (about 22 MB at the default 2048 tokens per pass). Used by one pass at a
/// time.
final class BertWorkspace: @unchecked Sendable {
    private(set) var tokenCapacity = 0
    private(set) var lengthCapacity = 0
    /// Hidden states, tokens × hidden.
    private(set) var hidden = Matrix(rows: 0, columns: 0)
    /// Q|K|V (tokens × 3·hidden) during attention, the feed-forward activations
    /// (tokens × intermediate) after it.
    private(set) var wide = Matrix(rows: 0, columns: 0)
    /// Attention output before its projection, tokens × hidden.
    private(set) var context = Matrix(rows: 0, columns: 0)
    /// Dense layer outputs before residual + LayerNorm, tokens × hidden.
    private(set) var projected = Matrix(rows: 0, columns: 0)
    /// One attention score matrix per worker, length × length.
    private(set) var scores: [Matrix] = []

    /// Makes room for `tokens` tokens, sequences up to `length` long and `workers` workers.
    func reserve(tokens: Int, length: Int, workers: Int, configuration: BertConfiguration) {
        let h = configuration.hiddenSize
        if tokens > tokenCapacity {
            tokenCapacity = tokens
            hidden = Matrix(rows: tokens, columns: h, zeroed: false)
            wide = Matrix(rows: tokens, columns: max(3 * h, configuration.intermediateSize), zeroed: false)
            context = Matrix(rows: tokens, columns: h, zeroed: false)
            projected = Matrix(rows: tokens, columns: h, zeroed: false)
        }
        if length > lengthCapacity || scores.count < workers {
            lengthCapacity = max(length, lengthCapacity)
            scores = (0..<workers).map { _ in
                Matrix(rows: lengthCapacity, columns: lengthCapacity, zeroed: false)
            }
        }
    }
}

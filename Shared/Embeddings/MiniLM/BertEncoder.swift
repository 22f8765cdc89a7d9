/// The BERT encoder forward pass with mean pooling and L2 normalisation — what
/// sentence-transformers runs for all-MiniLM-L6-v2 (Transformer → Pooling(mean) → Normalize).
///
/// Sequences of a pass are packed back to back (no padding rows): the dense layers work on all
/// tokens of the pass as one matrix, attention runs per sequence and head over that sequence's
/// own tokens. This is exactly a padded batch with an attention mask that hides padding, minus
/// the wasted work on padding; mean pooling averages each sequence's real tokens.
struct BertEncoder: Sendable {
    let configuration: BertConfiguration
    let weights: BertWeights

    /// Unit-length sentence embeddings of `sequences` (token ids with `[CLS]`/`[SEP]`, each at
    /// most `maxPositions` long), using at most `pool.width` threads. `workspace` must not be
    /// used by another pass at the same time.
    func embed(_ sequences: [[Int32]], pool: WorkerPool, workspace: BertWorkspace) -> [[Float]] {
        guard !sequences.isEmpty else { return [] }
        let h = configuration.hiddenSize
        let heads = configuration.headCount
        let d = configuration.headSize
        let inner = configuration.intermediateSize
        let epsilon = configuration.layerNormEpsilon

        var offsets: [Int] = []
        var total = 0
        for sequence in sequences {
            precondition(!sequence.isEmpty && sequence.count <= configuration.maxPositions)
            offsets.append(total)
            total += sequence.count
        }
        let starts = offsets
        let tokens = total
        let longest = sequences.map(\.count).max() ?? 0
        workspace.reserve(tokens: tokens, length: longest, workers: pool.width, configuration: configuration)
        let hidden = Buffer(workspace.hidden.pointer, columns: h)
        let qkv = Buffer(workspace.wide.pointer, columns: 3 * h)
        let intermediate = Buffer(workspace.wide.pointer, columns: inner)
        let context = Buffer(workspace.context.pointer, columns: h)
        let projected = Buffer(workspace.projected.pointer, columns: h)
        let scores = workspace.scores

        // Embeddings: word + position + type, LayerNorm.
        let rowBlocks = Self.rowBlocks(rows: tokens, workers: pool.width, minimum: 16)
        pool.run(rowBlocks.count) { block, _ in
            for row in rowBlocks[block] {
                let sequence = Self.sequenceIndex(of: row, starts: starts)
                let position = row - starts[sequence]
                let token = Int(sequences[sequence][position])
                VectorMath.addBiasResidualLayerNorm(
                    input: weights.wordEmbeddings.row(token), bias: nil,
                    residual: weights.positionAndTypeEmbeddings.row(position), output: hidden.row(row),
                    gamma: weights.embeddingNormGamma.pointer, beta: weights.embeddingNormBeta.pointer,
                    count: h, epsilon: epsilon
                )
            }
        }

        let scale = 1 / Float(d).squareRoot()
        for layer in weights.layers {
            // Q, K, V for every token in one product.
            linear(hidden, rows: tokens, layer.qkvWeight, into: qkv, pool: pool) { rows in
                for row in rows { VectorMath.addBias(qkv.row(row), bias: layer.qkvBias.pointer, count: 3 * h) }
            }
            // Attention per (sequence, head) over the sequence's own tokens.
            pool.run(sequences.count * heads) { task, worker in
                let sequence = task / heads
                let head = task % heads
                let length = sequences[sequence].count
                let base = qkv.row(starts[sequence])
                let s = scores[worker].pointer
                BLAS.gemm(
                    transposeB: true, m: length, n: length, k: d, alpha: scale,
                    a: base + head * d, lda: 3 * h, b: base + h + head * d, ldb: 3 * h,
                    c: s, ldc: length
                )
                for row in 0..<length {
                    VectorMath.softmax(s + row * length, count: length)
                }
                BLAS.gemm(
                    transposeB: false, m: length, n: d, k: length,
                    a: s, lda: length, b: base + 2 * h + head * d, ldb: 3 * h,
                    c: context.row(starts[sequence]) + head * d, ldc: h
                )
            }
            // Attention output projection + residual + LayerNorm.
            linear(context, rows: tokens, layer.attentionOutputWeight, into: projected, pool: pool) { rows in
                for row in rows {
                    VectorMath.addBiasResidualLayerNorm(
                        input: projected.row(row), bias: layer.attentionOutputBias.pointer,
                        residual: hidden.row(row), output: hidden.row(row),
                        gamma: layer.attentionNormGamma.pointer, beta: layer.attentionNormBeta.pointer,
                        count: h, epsilon: epsilon
                    )
                }
            }
            // Feed-forward: GELU(x W1ᵀ + b1) W2ᵀ + b2, residual, LayerNorm.
            linear(hidden, rows: tokens, layer.intermediateWeight, into: intermediate, pool: pool) { rows in
                for row in rows {
                    VectorMath.addBiasGELU(intermediate.row(row), bias: layer.intermediateBias.pointer, count: inner)
                }
            }
            linear(intermediate, rows: tokens, layer.outputWeight, into: projected, pool: pool) { rows in
                for row in rows {
                    VectorMath.addBiasResidualLayerNorm(
                        input: projected.row(row), bias: layer.outputBias.pointer,
                        residual: hidden.row(row), output: hidden.row(row),
                        gamma: layer.outputNormGamma.pointer, beta: layer.outputNormBeta.pointer,
                        count: h, epsilon: epsilon
                    )
                }
            }
        }

        // Mean pooling over each sequence's tokens, then L2 normalisation.
        return sequences.indices.map { sequence in
            let length = sequences[sequence].count
            var sum = [Double](repeating: 0, count: h)
            for row in starts[sequence]..<starts[sequence] + length {
                let values = hidden.row(row)
                for column in 0..<h { sum[column] += Double(values[column]) }
            }
            let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return sum.map { Float($0 / norm) }
        }
    }

    /// A row-major view of workspace memory (valid during one pass).
    struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Float>
        let columns: Int

        init(_ pointer: UnsafeMutablePointer<Float>, columns: Int) {
            self.pointer = pointer
            self.columns = columns
        }

        @inline(__always)
        func row(_ index: Int) -> UnsafeMutablePointer<Float> { pointer + index * columns }
    }

    /// output = input · weightᵀ (no bias) for the first `rows` rows, then `epilogue` on every
    /// row range, on the pool.
    ///
    /// Many rows: the rows are split among the workers and each applies the epilogue to its own
    /// rows while they are still in cache. Few rows (a query): the weight's rows (the output
    /// columns) are split instead, so the workers share the weight traffic, and the epilogue
    /// runs afterwards over row blocks.
    private func linear(
        _ input: Buffer, rows: Int, _ weight: Matrix, into output: Buffer, pool: WorkerPool,
        epilogue: @Sendable (Range<Int>) -> Void
    ) {
        let k = input.columns
        let n = weight.rows
        precondition(weight.columns == k && output.columns == n)
        if pool.width == 1 || rows >= 96 * pool.width {
            let blocks = Self.rowBlocks(rows: rows, workers: pool.width, minimum: 64)
            pool.run(blocks.count) { block, _ in
                let range = blocks[block]
                BLAS.gemm(
                    transposeB: true, m: range.count, n: n, k: k,
                    a: input.row(range.lowerBound), lda: k, b: weight.pointer, ldb: k,
                    c: output.row(range.lowerBound), ldc: n
                )
                epilogue(range)
            }
        } else {
            let parts = pool.width
            let step = (n / parts + 15) / 16 * 16
            pool.run(parts) { part, _ in
                let first = part * step
                let count = min(n, first + step) - first
                guard count > 0 else { return }
                BLAS.gemm(
                    transposeB: true, m: rows, n: count, k: k,
                    a: input.pointer, lda: k, b: weight.row(first), ldb: k,
                    c: output.pointer + first, ldc: n
                )
            }
            let blocks = Self.rowBlocks(rows: rows, workers: pool.width, minimum: 4)
            pool.run(blocks.count) { block, _ in epilogue(blocks[block]) }
        }
    }

    /// Splits `rows` into about two blocks per worker (for balance), none under `minimum`.
    static func rowBlocks(rows: Int, workers: Int, minimum: Int) -> [Range<Int>] {
        guard rows > 0 else { return [] }
        let count = max(1, min(workers == 1 ? 1 : 2 * workers, rows / max(minimum, 1)))
        return (0..<count).map { index in
            (rows * index / count)..<(rows * (index + 1) / count)
        }
    }

    @inline(__always)
    static func sequenceIndex(of row: Int, starts: [Int]) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= row { low = middle } else { high = middle - 1 }
        }
        return low
    }
}

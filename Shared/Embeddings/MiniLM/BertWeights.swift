/// The weights of a BERT encoder, laid out for the forward pass (query, key and value
/// projections fused into one matrix per layer).
struct BertWeights: Sendable {
    struct Layer: Sendable {
        /// [3·hidden × hidden]: query rows, then key rows, then value rows (PyTorch [out, in]).
        let qkvWeight: Matrix
        let qkvBias: Matrix
        let attentionOutputWeight: Matrix
        let attentionOutputBias: Matrix
        let attentionNormGamma: Matrix
        let attentionNormBeta: Matrix
        let intermediateWeight: Matrix
        let intermediateBias: Matrix
        let outputWeight: Matrix
        let outputBias: Matrix
        let outputNormGamma: Matrix
        let outputNormBeta: Matrix
    }

    let wordEmbeddings: Matrix
    /// Position embeddings with the token-type-0 embedding already added (every input is one
    /// segment, token type 0).
    let positionAndTypeEmbeddings: Matrix
    let embeddingNormGamma: Matrix
    let embeddingNormBeta: Matrix
    let layers: [Layer]

    /// Reads and shape-checks every tensor; `prefix` is "" or "bert." depending on the export.
    init(file: SafeTensorsFile, configuration c: BertConfiguration) throws {
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func vector(_ name: String, _ count: Int) throws -> Matrix {
            Matrix(rows: 1, columns: count, values: try file.floats(prefix + name, shape: [count]))
        }
        func matrix(_ name: String, _ rows: Int, _ columns: Int) throws -> Matrix {
            Matrix(rows: rows, columns: columns, values: try file.floats(prefix + name, shape: [rows, columns]))
        }
        let h = c.hiddenSize
        wordEmbeddings = try matrix("embeddings.word_embeddings.weight", c.vocabularySize, h)
        let positions = try file.floats(prefix + "embeddings.position_embeddings.weight", shape: [c.maxPositions, h])
        let types = try file.floats(prefix + "embeddings.token_type_embeddings.weight", shape: [c.typeVocabularySize, h])
        var combined = positions
        for index in combined.indices {
            combined[index] += types[index % h]
        }
        positionAndTypeEmbeddings = Matrix(rows: c.maxPositions, columns: h, values: combined)
        embeddingNormGamma = try vector("embeddings.LayerNorm.weight", h)
        embeddingNormBeta = try vector("embeddings.LayerNorm.bias", h)
        layers = try (0..<c.layerCount).map { index in
            let p = "encoder.layer.\(index)."
            func part(_ name: String, _ shape: [Int]) throws -> [Float] {
                try file.floats(prefix + p + name, shape: shape)
            }
            return Layer(
                qkvWeight: Matrix(
                    stacking: [
                        try part("attention.self.query.weight", [h, h]),
                        try part("attention.self.key.weight", [h, h]),
                        try part("attention.self.value.weight", [h, h]),
                    ], columns: h),
                qkvBias: Matrix(
                    stacking: [
                        try part("attention.self.query.bias", [h]),
                        try part("attention.self.key.bias", [h]),
                        try part("attention.self.value.bias", [h]),
                    ], columns: 3 * h),
                attentionOutputWeight: try matrix(p + "attention.output.dense.weight", h, h),
                attentionOutputBias: try vector(p + "attention.output.dense.bias", h),
                attentionNormGamma: try vector(p + "attention.output.LayerNorm.weight", h),
                attentionNormBeta: try vector(p + "attention.output.LayerNorm.bias", h),
                intermediateWeight: try matrix(p + "intermediate.dense.weight", c.intermediateSize, h),
                intermediateBias: try vector(p + "intermediate.dense.bias", c.intermediateSize),
                outputWeight: try matrix(p + "output.dense.weight", h, c.intermediateSize),
                outputBias: try vector(p + "output.dense.bias", h),
                outputNormGamma: try vector(p + "output.LayerNorm.weight", h),
                outputNormBeta: try vector(p + "output.LayerNorm.bias", h)
            )
        }
    }
}

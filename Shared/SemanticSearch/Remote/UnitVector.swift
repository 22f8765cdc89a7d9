/// L2 normalisation of the vectors a remote provider returns.
///
/// Gemini's vectors truncated with `outputDimensionality` (anything below 3072) are not unit
/// length, and OpenAI-compatible servers make no promise either; the `Embedder` contract and the
/// cosine index assume unit vectors, so every remote vector goes through here.
enum UnitVector {
    /// The vector scaled to length 1, or nil when it has no direction (all zeros, NaN, infinity).
    static func normalised(_ vector: [Float]) -> [Float]? {
        var sum: Double = 0
        for value in vector {
            guard value.isFinite else { return nil }
            sum += Double(value) * Double(value)
        }
        let norm = sum.squareRoot()
        guard norm > 0, norm.isFinite else { return nil }
        return vector.map { Float(Double($0) / norm) }
    }
}

extension UnitVector {
    /// A provider's vector checked against the configured dimension and normalised.
    static func checked(_ values: [Float], dimension: Int, provider: String) throws(RemoteEmbedderError) -> [Float] {
        guard values.count == dimension else {
            throw .wrongDimension(provider: provider, expected: dimension, received: values.count)
        }
        guard let unit = normalised(values) else {
            throw .malformedResponse(provider: provider, reason: "a vector is all zeros or holds a non-finite number")
        }
        return unit
    }
}

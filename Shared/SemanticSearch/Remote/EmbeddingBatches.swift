/// Splits a list of texts into the provider's batch size and embeds the batches, a few at a time.
///
/// A document of a thousand chunks is ten Gemini calls; running them strictly one after the
/// other would make ingestion wait for ten round trips, while running all at once invites 429s.
/// `concurrency` batches are in flight at most; the result keeps the input order.
enum EmbeddingBatches {
    static func embed(
        _ texts: [String], batchSize: Int, concurrency: Int,
        _ embedBatch: @escaping @Sendable ([String]) async throws -> [[Float]]
    ) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let batches = stride(from: 0, to: texts.count, by: batchSize).map {
            Array(texts[$0..<min($0 + batchSize, texts.count)])
        }
        if batches.count == 1 { return try await embedBatch(batches[0]) }
        var results = [[[Float]]](repeating: [], count: batches.count)
        try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
            var next = 0
            func startNext() {
                let index = next
                let batch = batches[index]
                group.addTask { (index, try await embedBatch(batch)) }
                next += 1
            }
            while next < min(max(concurrency, 1), batches.count) { startNext() }
            while let (index, vectors) = try await group.next() {
                results[index] = vectors
                if next < batches.count { startNext() }
            }
        }
        return results.flatMap { $0 }
    }
}

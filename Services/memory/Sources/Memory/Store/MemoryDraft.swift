import ApexProtocol

/// A memory about to be written, with its embedding already computed (outside any transaction:
/// a remote embedder may take a while, and a transaction must not wait on the network).
struct MemoryDraft: Sendable {
    var text: String
    var category: String
    var source: String
    var confidence: Double
    var metadata: JSONObject
    var embedding: [Float]
}

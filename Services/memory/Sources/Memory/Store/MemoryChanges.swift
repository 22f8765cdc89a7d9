import ApexProtocol

/// The fields a PATCH changes; `nil` leaves a field alone. A new text comes with its new
/// embedding, so the stored vector always describes the stored text.
struct MemoryChanges: Sendable {
    var text: (String, embedding: [Float])?
    var category: String?
    var confidence: Double?
    var metadata: JSONObject?
}

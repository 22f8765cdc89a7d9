import ApexProtocol

/// A memory as the store answers a write: `memory.deduplicated` says whether an existing
/// near-duplicate was refreshed (200) instead of a new memory being added (201).
struct StoredMemory: Sendable {
    var memory: Memory
    var created: Bool { !memory.deduplicated }
}

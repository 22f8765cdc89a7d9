/// A memory found by a search: the memory's own fields with `score` beside them (flat on the
/// wire, not nested), so a hit reads like a memory to clients that ignore the score.
@dynamicMemberLookup
public struct MemoryHit: Sendable, Equatable, Codable {
    public var memory: Memory
    /// Cosine similarity to the query.
    public var score: Double

    public init(memory: Memory, score: Double) {
        self.memory = memory
        self.score = score
    }

    /// `hit.text`, `hit.category`, … read through to the memory.
    public subscript<Value>(dynamicMember keyPath: KeyPath<Memory, Value>) -> Value {
        memory[keyPath: keyPath]
    }

    enum CodingKeys: String, CodingKey {
        case score
    }

    public init(from decoder: any Decoder) throws {
        memory = try Memory(from: decoder)
        score = try decoder.container(keyedBy: CodingKeys.self).decode(Double.self, forKey: .score)
    }

    public func encode(to encoder: any Encoder) throws {
        try memory.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(score, forKey: .score)
    }
}

/// `PATCH /api/v1/memories/{id}`: only the fields present change. None of them can be cleared,
/// so an explicit `null` is refused ("must not be null") rather than read as "no change".
public struct UpdateMemoryRequest: Sendable, Equatable, Codable {
    public var text: String?
    public var category: String?
    public var confidence: Double?
    /// Replaces the stored metadata as a whole.
    public var metadata: JSONObject?

    public init(text: String? = nil, category: String? = nil, confidence: Double? = nil, metadata: JSONObject? = nil) {
        self.text = text
        self.category = category
        self.confidence = confidence
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case text
        case category
        case confidence
        case metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decodeNonNullIfPresent(String.self, forKey: .text)
        category = try container.decodeNonNullIfPresent(String.self, forKey: .category)
        confidence = try container.decodeNonNullIfPresent(Double.self, forKey: .confidence)
        metadata = try container.decodeNonNullIfPresent(JSONObject.self, forKey: .metadata)
    }
}

extension UpdateMemoryRequest: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.length(text, "text", in: CreateMemoryRequest.textLength)
        rules.pattern(category, "category", .category)
        rules.range(confidence, "confidence", in: CreateMemoryRequest.confidenceRange)
        return rules.errors
    }
}

/// `POST /api/v1/memories`.
public struct CreateMemoryRequest: Sendable, Equatable, Codable {
    public static let textLength = 1...10_000
    public static let confidenceRange = 0.0...1.0
    public static let defaultCategory = "general"
    public static let defaultSource = "api"
    public static let defaultConfidence = 1.0

    public var text: String
    public var category: String?
    public var source: String?
    public var confidence: Double?
    public var metadata: JSONObject?

    public init(
        text: String,
        category: String? = nil,
        source: String? = nil,
        confidence: Double? = nil,
        metadata: JSONObject? = nil
    ) {
        self.text = text
        self.category = category
        self.source = source
        self.confidence = confidence
        self.metadata = metadata
    }

    public var resolvedCategory: String { category ?? Self.defaultCategory }
    public var resolvedSource: String { source ?? Self.defaultSource }
    public var resolvedConfidence: Double { confidence ?? Self.defaultConfidence }

    enum CodingKeys: String, CodingKey {
        case text
        case category
        case source
        case confidence
        case metadata
    }
}

extension CreateMemoryRequest: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.length(text, "text", in: Self.textLength)
        rules.pattern(category, "category", .category)
        rules.range(confidence, "confidence", in: Self.confidenceRange)
        return rules.errors
    }
}

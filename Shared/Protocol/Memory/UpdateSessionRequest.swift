/// `PATCH /api/v1/sessions/{id}`: only the fields present change.
///
/// `cost`, `model_used` and `error` can be cleared with `null` (`Nullable`); `status`,
/// `graph_data`, `node_outputs` and `metadata` cannot, and refuse `null`.
/// Leaving `running` sets `completed_at`; changing a finished session's status is a 409,
/// while setting the status it already has is no change.
public struct UpdateSessionRequest: Sendable, Equatable, Codable {
    public var status: SessionStatus?
    public var graphData: JSONObject?
    public var nodeOutputs: JSONObject?
    public var cost: Nullable<Double>
    public var modelUsed: Nullable<String>
    public var error: Nullable<String>
    public var metadata: JSONObject?

    public init(
        status: SessionStatus? = nil,
        graphData: JSONObject? = nil,
        nodeOutputs: JSONObject? = nil,
        cost: Nullable<Double> = .absent,
        modelUsed: Nullable<String> = .absent,
        error: Nullable<String> = .absent,
        metadata: JSONObject? = nil
    ) {
        self.status = status
        self.graphData = graphData
        self.nodeOutputs = nodeOutputs
        self.cost = cost
        self.modelUsed = modelUsed
        self.error = error
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case status
        case graphData = "graph_data"
        case nodeOutputs = "node_outputs"
        case cost
        case modelUsed = "model_used"
        case error
        case metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeNonNullIfPresent(SessionStatus.self, forKey: .status)
        graphData = try container.decodeNonNullIfPresent(JSONObject.self, forKey: .graphData)
        nodeOutputs = try container.decodeNonNullIfPresent(JSONObject.self, forKey: .nodeOutputs)
        cost = try container.decodeNullable(Double.self, forKey: .cost)
        modelUsed = try container.decodeNullable(String.self, forKey: .modelUsed)
        error = try container.decodeNullable(String.self, forKey: .error)
        metadata = try container.decodeNonNullIfPresent(JSONObject.self, forKey: .metadata)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(graphData, forKey: .graphData)
        try container.encodeIfPresent(nodeOutputs, forKey: .nodeOutputs)
        try container.encodeNullable(cost, forKey: .cost)
        try container.encodeNullable(modelUsed, forKey: .modelUsed)
        try container.encodeNullable(error, forKey: .error)
        try container.encodeIfPresent(metadata, forKey: .metadata)
    }
}

extension UpdateSessionRequest: ContractValidatable {
    /// API.md sets no rule on these fields beyond their types, which decoding already checks.
    public func validate() -> [FieldError] {
        []
    }
}

public import Foundation

/// The record of one agent run: what was asked, how the graph ran, what it cost.
/// Completed sessions feed the memory scan (their `query` and the text in `node_outputs`).
public struct Session: Sendable, Equatable, Codable {
    public var id: String
    public var query: String
    public var status: SessionStatus
    public var agentType: String?
    public var graphData: JSONObject
    /// Outputs by node name; the memory scan reads the text in them.
    public var nodeOutputs: JSONObject
    public var cost: Double?
    public var modelUsed: String?
    public var error: String?
    public var createdAt: Date
    /// Set when the status leaves `running`.
    public var completedAt: Date?
    public var metadata: JSONObject

    public init(
        id: String,
        query: String,
        status: SessionStatus = .running,
        agentType: String? = nil,
        graphData: JSONObject = [:],
        nodeOutputs: JSONObject = [:],
        cost: Double? = nil,
        modelUsed: String? = nil,
        error: String? = nil,
        createdAt: Date,
        completedAt: Date? = nil,
        metadata: JSONObject = [:]
    ) {
        self.id = id
        self.query = query
        self.status = status
        self.agentType = agentType
        self.graphData = graphData
        self.nodeOutputs = nodeOutputs
        self.cost = cost
        self.modelUsed = modelUsed
        self.error = error
        self.createdAt = createdAt
        self.completedAt = completedAt
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case id
        case query
        case status
        case agentType = "agent_type"
        case graphData = "graph_data"
        case nodeOutputs = "node_outputs"
        case cost
        case modelUsed = "model_used"
        case error
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case metadata
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(query, forKey: .query)
        try container.encode(status, forKey: .status)
        try container.encodeNullable(agentType, forKey: .agentType)
        try container.encode(graphData, forKey: .graphData)
        try container.encode(nodeOutputs, forKey: .nodeOutputs)
        try container.encodeNullable(cost, forKey: .cost)
        try container.encodeNullable(modelUsed, forKey: .modelUsed)
        try container.encodeNullable(error, forKey: .error)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeNullable(completedAt, forKey: .completedAt)
        try container.encode(metadata, forKey: .metadata)
    }
}

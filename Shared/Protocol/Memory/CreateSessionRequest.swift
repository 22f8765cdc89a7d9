/// `POST /api/v1/sessions`: start recording an agent run. A new session is `running`.
public struct CreateSessionRequest: Sendable, Equatable, Codable {
    /// Client-chosen id (`TokenPattern.clientID`), unique per user; generated when absent.
    public var id: String?
    public var query: String
    public var agentType: String?
    public var graphData: JSONObject?
    public var metadata: JSONObject?

    public init(
        id: String? = nil,
        query: String,
        agentType: String? = nil,
        graphData: JSONObject? = nil,
        metadata: JSONObject? = nil
    ) {
        self.id = id
        self.query = query
        self.agentType = agentType
        self.graphData = graphData
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case id
        case query
        case agentType = "agent_type"
        case graphData = "graph_data"
        case metadata
    }
}

extension CreateSessionRequest: ContractValidatable {
    /// The query must not be empty: a session records what was asked, and the memory scan reads it.
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.pattern(id, "id", .clientID)
        rules.notEmpty(query, "query")
        return rules.errors
    }
}

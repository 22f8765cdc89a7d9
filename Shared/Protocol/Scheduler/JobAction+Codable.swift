/// The `type`-discriminated wire form. An unknown or missing `type` is a decoding error on the
/// `type` field, listing the known kinds.
extension JobAction: Codable {
    enum CodingKeys: String, CodingKey {
        case type
        case title
        case body
        case url
        case method
        case agentType = "agent_type"
        case query
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .notify:
            self = .notify(
                title: try container.decode(String.self, forKey: .title),
                body: try container.decode(String.self, forKey: .body)
            )
        case .memoryScan:
            self = .memoryScan
        case .http:
            self = .http(
                url: try container.decode(String.self, forKey: .url),
                method: try container.decodeIfPresent(HTTPMethodName.self, forKey: .method) ?? Self.defaultHTTPMethod,
                body: try container.decodeIfPresent(JSONValue.self, forKey: .body)
            )
        case .agent:
            self = .agent(
                agentType: try container.decode(String.self, forKey: .agentType),
                query: try container.decode(String.self, forKey: .query)
            )
        }
    }

    /// `http` actions always carry `method` (the default made explicit) and `body` (`null` when
    /// there is none), so a stored job shows exactly what will be sent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .type)
        switch self {
        case .notify(let title, let body):
            try container.encode(title, forKey: .title)
            try container.encode(body, forKey: .body)
        case .memoryScan:
            break
        case .http(let url, let method, let body):
            try container.encode(url, forKey: .url)
            try container.encode(method, forKey: .method)
            try container.encodeNullable(body, forKey: .body)
        case .agent(let agentType, let query):
            try container.encode(agentType, forKey: .agentType)
            try container.encode(query, forKey: .query)
        }
    }
}

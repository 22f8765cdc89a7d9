public import Foundation

/// A cron job: an action run on a schedule in an IANA time zone, once per slot across replicas.
public struct Job: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var cronExpression: String
    /// IANA name (`Europe/Paris`); `UTC` by default.
    public var timezone: String
    public var action: JobAction
    public var enabled: Bool
    /// When the latest run was scheduled for; `null` before the first.
    public var lastRun: Date?
    /// The next slot; `null` for a disabled job.
    public var nextRun: Date?
    /// The latest run's output; `null` before the first.
    public var lastOutput: JSONValue
    public var createdAt: Date
    public var metadata: JSONObject

    public init(
        id: String,
        name: String,
        cronExpression: String,
        timezone: String = CreateJobRequest.defaultTimezone,
        action: JobAction,
        enabled: Bool = true,
        lastRun: Date? = nil,
        nextRun: Date? = nil,
        lastOutput: JSONValue = .null,
        createdAt: Date,
        metadata: JSONObject = [:]
    ) {
        self.id = id
        self.name = name
        self.cronExpression = cronExpression
        self.timezone = timezone
        self.action = action
        self.enabled = enabled
        self.lastRun = lastRun
        self.nextRun = nextRun
        self.lastOutput = lastOutput
        self.createdAt = createdAt
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case cronExpression = "cron_expression"
        case timezone
        case action
        case enabled
        case lastRun = "last_run"
        case nextRun = "next_run"
        case lastOutput = "last_output"
        case createdAt = "created_at"
        case metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        cronExpression = try container.decode(String.self, forKey: .cronExpression)
        timezone = try container.decode(String.self, forKey: .timezone)
        action = try container.decode(JobAction.self, forKey: .action)
        enabled = try container.decode(Bool.self, forKey: .enabled)
        lastRun = try container.decodeIfPresent(Date.self, forKey: .lastRun)
        nextRun = try container.decodeIfPresent(Date.self, forKey: .nextRun)
        lastOutput = try container.decodeJSONValueIfPresent(forKey: .lastOutput)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        metadata = try container.decode(JSONObject.self, forKey: .metadata)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(cronExpression, forKey: .cronExpression)
        try container.encode(timezone, forKey: .timezone)
        try container.encode(action, forKey: .action)
        try container.encode(enabled, forKey: .enabled)
        try container.encodeNullable(lastRun, forKey: .lastRun)
        try container.encodeNullable(nextRun, forKey: .nextRun)
        try container.encode(lastOutput, forKey: .lastOutput)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(metadata, forKey: .metadata)
    }
}

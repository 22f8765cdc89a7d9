/// `PATCH /api/v1/jobs/{id}`: any creatable field; only those present change and `next_run` is
/// recomputed. None can be cleared, so an explicit `null` is refused.
public struct UpdateJobRequest: Sendable, Equatable, Codable {
    public var name: String?
    public var cronExpression: String?
    public var timezone: String?
    public var action: JobAction?
    public var enabled: Bool?
    /// Replaces the stored metadata as a whole.
    public var metadata: JSONObject?

    public init(
        name: String? = nil,
        cronExpression: String? = nil,
        timezone: String? = nil,
        action: JobAction? = nil,
        enabled: Bool? = nil,
        metadata: JSONObject? = nil
    ) {
        self.name = name
        self.cronExpression = cronExpression
        self.timezone = timezone
        self.action = action
        self.enabled = enabled
        self.metadata = metadata
    }

    /// Whether the change moves the schedule (so `next_run` must be recomputed).
    public var changesSchedule: Bool {
        cronExpression != nil || timezone != nil || enabled != nil
    }

    enum CodingKeys: String, CodingKey {
        case name
        case cronExpression = "cron_expression"
        case timezone
        case action
        case enabled
        case metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeNonNullIfPresent(String.self, forKey: .name)
        cronExpression = try container.decodeNonNullIfPresent(String.self, forKey: .cronExpression)
        timezone = try container.decodeNonNullIfPresent(String.self, forKey: .timezone)
        action = try container.decodeNonNullIfPresent(JobAction.self, forKey: .action)
        enabled = try container.decodeNonNullIfPresent(Bool.self, forKey: .enabled)
        metadata = try container.decodeNonNullIfPresent(JSONObject.self, forKey: .metadata)
    }
}

extension UpdateJobRequest: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        if let name { rules.notEmpty(name, "name") }
        if let cronExpression { rules.notEmpty(cronExpression, "cron_expression") }
        if let timezone { rules.notEmpty(timezone, "timezone") }
        if let action { rules.nested(action.validate(), under: "action") }
        return rules.errors
    }
}

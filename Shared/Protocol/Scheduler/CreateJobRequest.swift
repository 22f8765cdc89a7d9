/// `POST /api/v1/jobs`.
///
/// The contract checks that `name` and `cron_expression` are not empty and that the action is
/// well formed; whether the cron expression and time zone mean something is decided by the
/// scheduler's cron parser, which answers 400 naming the field and the fault.
public struct CreateJobRequest: Sendable, Equatable, Codable {
    public static let defaultTimezone = "UTC"
    public static let defaultEnabled = true

    public var name: String
    public var cronExpression: String
    public var timezone: String?
    public var action: JobAction
    public var enabled: Bool?
    public var metadata: JSONObject?

    public init(
        name: String,
        cronExpression: String,
        timezone: String? = nil,
        action: JobAction,
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

    public var resolvedTimezone: String { timezone ?? Self.defaultTimezone }
    public var resolvedEnabled: Bool { enabled ?? Self.defaultEnabled }

    enum CodingKeys: String, CodingKey {
        case name
        case cronExpression = "cron_expression"
        case timezone
        case action
        case enabled
        case metadata
    }
}

extension CreateJobRequest: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.notEmpty(name, "name")
        rules.notEmpty(cronExpression, "cron_expression")
        if let timezone { rules.notEmpty(timezone, "timezone") }
        rules.nested(action.validate(), under: "action")
        return rules.errors
    }
}

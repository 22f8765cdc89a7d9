/// `POST /api/v1/tasks`: enqueue an action to run once, retried with backoff on failure.
/// The same `idempotency_key` again (for this user) answers the first task instead of a new one.
public struct CreateTaskRequest: Sendable, Equatable, Codable {
    public static let idempotencyKeyLength = 1...200
    public static let maxAttemptsRange = 1...25
    public static let defaultMaxAttempts = 5

    public var action: JobAction
    public var idempotencyKey: String?
    public var maxAttempts: Int?

    public init(action: JobAction, idempotencyKey: String? = nil, maxAttempts: Int? = nil) {
        self.action = action
        self.idempotencyKey = idempotencyKey
        self.maxAttempts = maxAttempts
    }

    public var resolvedMaxAttempts: Int { maxAttempts ?? Self.defaultMaxAttempts }

    enum CodingKeys: String, CodingKey {
        case action
        case idempotencyKey = "idempotency_key"
        case maxAttempts = "max_attempts"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        action = try container.decode(JobAction.self, forKey: .action)
        idempotencyKey = try container.decodeIfPresent(String.self, forKey: .idempotencyKey)
        maxAttempts = try container.decodeIntegerIfPresent(forKey: .maxAttempts)
    }
}

extension CreateTaskRequest: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        rules.nested(action.validate(), under: "action")
        rules.length(idempotencyKey, "idempotency_key", in: Self.idempotencyKeyLength)
        rules.range(maxAttempts, "max_attempts", in: Self.maxAttemptsRange)
        return rules.errors
    }
}

public import Foundation

/// A task of the retrying background queue (the API's "Task"; named so it does not shadow
/// Swift concurrency's `Task`).
public struct BackgroundTask: Sendable, Equatable, Codable {
    public var id: String
    public var action: JobAction
    public var status: TaskStatus
    /// Attempts made so far.
    public var attempts: Int
    public var maxAttempts: Int
    /// When the next attempt may start (for `queued` and `failed`).
    public var runAt: Date
    public var lastError: String?
    /// What the successful attempt produced; `null` until then.
    public var result: JSONValue
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        action: JobAction,
        status: TaskStatus,
        attempts: Int = 0,
        maxAttempts: Int = CreateTaskRequest.defaultMaxAttempts,
        runAt: Date,
        lastError: String? = nil,
        result: JSONValue = .null,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.action = action
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.lastError = lastError
        self.result = result
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case action
        case status
        case attempts
        case maxAttempts = "max_attempts"
        case runAt = "run_at"
        case lastError = "last_error"
        case result
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        action = try container.decode(JobAction.self, forKey: .action)
        status = try container.decode(TaskStatus.self, forKey: .status)
        attempts = try container.decode(Int.self, forKey: .attempts)
        maxAttempts = try container.decode(Int.self, forKey: .maxAttempts)
        runAt = try container.decode(Date.self, forKey: .runAt)
        lastError = try container.decodeIfPresent(String.self, forKey: .lastError)
        result = try container.decodeJSONValueIfPresent(forKey: .result)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(action, forKey: .action)
        try container.encode(status, forKey: .status)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encode(runAt, forKey: .runAt)
        try container.encodeNullable(lastError, forKey: .lastError)
        try container.encode(result, forKey: .result)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

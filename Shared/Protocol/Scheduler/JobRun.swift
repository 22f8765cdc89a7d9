public import Foundation

/// One run of a job, unique per `(job_id, scheduled_for)`: that uniqueness is what makes runs
/// exactly-once across replicas.
public struct JobRun: Sendable, Equatable, Codable {
    public var id: String
    public var jobID: String
    /// The slot this run is for (for run-now: the current time truncated to the second).
    public var scheduledFor: Date
    /// `null` for a `skipped` run, which never started.
    public var startedAt: Date?
    public var completedAt: Date?
    public var status: JobRunStatus
    /// What the action produced; `null` while running or when it produced nothing.
    public var output: JSONValue
    public var error: String?

    public init(
        id: String,
        jobID: String,
        scheduledFor: Date,
        startedAt: Date?,
        completedAt: Date? = nil,
        status: JobRunStatus,
        output: JSONValue = .null,
        error: String? = nil
    ) {
        self.id = id
        self.jobID = jobID
        self.scheduledFor = scheduledFor
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.status = status
        self.output = output
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case id
        case jobID = "job_id"
        case scheduledFor = "scheduled_for"
        case startedAt = "started_at"
        case completedAt = "completed_at"
        case status
        case output
        case error
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        jobID = try container.decode(String.self, forKey: .jobID)
        scheduledFor = try container.decode(Date.self, forKey: .scheduledFor)
        startedAt = try container.decodeIfPresent(Date.self, forKey: .startedAt)
        completedAt = try container.decodeIfPresent(Date.self, forKey: .completedAt)
        status = try container.decode(JobRunStatus.self, forKey: .status)
        output = try container.decodeJSONValueIfPresent(forKey: .output)
        error = try container.decodeIfPresent(String.self, forKey: .error)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(jobID, forKey: .jobID)
        try container.encode(scheduledFor, forKey: .scheduledFor)
        try container.encodeNullable(startedAt, forKey: .startedAt)
        try container.encodeNullable(completedAt, forKey: .completedAt)
        try container.encode(status, forKey: .status)
        try container.encode(output, forKey: .output)
        try container.encodeNullable(error, forKey: .error)
    }
}

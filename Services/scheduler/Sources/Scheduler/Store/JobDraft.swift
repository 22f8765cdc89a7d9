public import ApexProtocol
public import Foundation

/// A job as the store writes it: the creatable fields, already validated, and the computed
/// `next_run`.
public struct JobDraft: Sendable {
    public var name: String
    public var cronExpression: String
    public var timezone: String
    public var action: JobAction
    public var enabled: Bool
    public var metadata: JSONObject
    public var nextRun: Date?

    public init(
        name: String, cronExpression: String, timezone: String, action: JobAction, enabled: Bool, metadata: JSONObject, nextRun: Date?
    ) {
        self.name = name
        self.cronExpression = cronExpression
        self.timezone = timezone
        self.action = action
        self.enabled = enabled
        self.metadata = metadata
        self.nextRun = nextRun
    }

    /// The stored job's fields, to apply a patch to.
    public init(_ job: Job) {
        self.init(
            name: job.name, cronExpression: job.cronExpression, timezone: job.timezone, action: job.action,
            enabled: job.enabled, metadata: job.metadata, nextRun: job.nextRun)
    }
}

public import Foundation

/// A due job as the tick reads it.
public struct DueJob: Sendable {
    public let id: UUID
    public let cronExpression: String
    public let timezone: String
    public let nextRun: Date
}

/// Why a cron expression was rejected: which field (or the expression as a whole) and what is wrong.
///
/// `description` reads like `cron_expression: hour: value 24 out of range 0-23`, ready for a 400 answer.
public struct CronParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field at fault, or `nil` when the fault is in the expression as a whole
    /// (wrong number of fields, unknown macro).
    public let field: CronField?
    /// The fault, e.g. `value 61 out of range 0-59`, `step must be positive`, `expected 5 fields, got 4`.
    public let reason: String

    public init(field: CronField?, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `minute`, `hour`, `day_of_month`, `month`, `day_of_week`, or `expression`.
    public var fieldName: String { field?.name ?? "expression" }

    public var description: String { "cron_expression: \(fieldName): \(reason)" }
}

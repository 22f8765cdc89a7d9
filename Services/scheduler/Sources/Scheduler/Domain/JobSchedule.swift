public import ApexProtocol
public import Foundation

/// A job's cron expression read in its time zone: what the API validates at creation and the tick
/// evaluates at every pass.
public struct JobSchedule: Sendable {
    public let cron: CronSchedule
    public let timeZone: TimeZone

    public init(cron: CronSchedule, timeZone: TimeZone) {
        self.cron = cron
        self.timeZone = timeZone
    }

    /// Parses both fields and reports every fault at once, each naming its field:
    /// `cron_expression` ("hour: value 24 out of range 0-23", "never fires") and `timezone`.
    public static func validated(expression: String, timezone: String) -> Result<JobSchedule, ValidationFailure> {
        var errors: [FieldError] = []
        var cron: CronSchedule?
        do {
            cron = try CronSchedule(parsing: expression)
        } catch {
            errors.append(FieldError(field: "cron_expression", message: "\(error.fieldName): \(error.reason)"))
        }
        if let cron, !cron.canEverFire {
            errors.append(FieldError(field: "cron_expression", message: "never fires: no month has the day of month it names"))
        }
        let zone = IANATimeZone.timeZone(identifier: timezone)
        if zone == nil {
            errors.append(FieldError(field: "timezone", message: "must be an IANA time zone name such as UTC or Europe/Paris"))
        }
        guard let cron, let zone, errors.isEmpty else { return .failure(ValidationFailure(errors: errors)) }
        return .success(JobSchedule(cron: cron, timeZone: zone))
    }

    /// The first slot strictly after `date`.
    public func nextRun(after date: Date) -> Date? {
        cron.nextOccurrence(after: date, in: timeZone)
    }
}

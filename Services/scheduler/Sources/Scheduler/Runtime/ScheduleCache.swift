import Synchronization

/// Parsed schedules by (expression, time zone): most jobs share a handful of expressions, and a
/// pass over 10,000 due jobs should not parse and look up zones 10,000 times.
final class ScheduleCache: Sendable {
    private let entries = Mutex<[String: JobSchedule]>([:])
    static let capacity = 10_000

    func schedule(expression: String, timezone: String) -> JobSchedule? {
        let key = timezone + "\u{0}" + expression
        if let hit = entries.withLock({ $0[key] }) { return hit }
        guard case .success(let schedule) = JobSchedule.validated(expression: expression, timezone: timezone) else { return nil }
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = schedule
        }
        return schedule
    }
}

public import Foundation

extension CronSchedule {
    /// Measures `nextOccurrence(after:in:)` on one thread: the number of computations per second
    /// for `iterations` start instants spread over 2026 (each about 2.6 hours apart).
    /// Build with `-O` for meaningful figures.
    public static func benchmarkNextOccurrence(
        expression: String = "*/15 9-17 * * MON-FRI",
        timeZone: TimeZone = TimeZone(identifier: "Europe/Berlin") ?? TimeZone(secondsFromGMT: 0)!,
        iterations: Int = 500_000
    ) throws(CronParseError) -> Double {
        let schedule = try CronSchedule(parsing: expression)
        let start = 1_767_225_600.0  // 2026-01-01T00:00:00Z
        let span = 365.0 * 86_400
        var checksum = 0.0
        let clock = ContinuousClock()
        let began = clock.now
        for index in 0..<iterations {
            // a low-discrepancy walk over the year, so offsets and transitions vary
            let instant = start + (Double(index) * 9_419.3).truncatingRemainder(dividingBy: span)
            if let next = schedule.nextOccurrence(after: Date(timeIntervalSince1970: instant), in: timeZone) {
                checksum += next.timeIntervalSince1970
            }
        }
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        precondition(checksum != 1)  // keep the loop
        return Double(iterations) / seconds
    }
}

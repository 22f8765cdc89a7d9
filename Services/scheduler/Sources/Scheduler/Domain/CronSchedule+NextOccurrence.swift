public import Foundation

extension CronSchedule {
    /// Instants beyond roughly ±300,000 years are not searched.
    static let instantLimit = 10_000_000_000_000.0

    /// Whole seconds since 1970 at or before `date` (`nil` for non-finite or absurd dates).
    static func flooredSeconds(_ date: Date) -> Int? {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, abs(seconds) < instantLimit else { return nil }
        return Int(seconds)
    }

    /// The first instant strictly after `date` at which the schedule fires in `timeZone`, or `nil`
    /// if it never fires (e.g. `0 0 30 2 *`) or not within `searchHorizonYears`.
    ///
    /// Every local wall-clock time that matches fires once, at the first instant the clock reaches
    /// it: in a spring-forward gap (02:30 on the day New York jumps from 02:00 to 03:00) that is the
    /// first instant after the gap (03:00 EDT), and several matching times in one gap fire once
    /// together; a time repeated by a fall back fires at its first occurrence only. Results are
    /// whole seconds.
    public func nextOccurrence(after date: Date, in timeZone: TimeZone) -> Date? {
        guard canEverFire, let after = Self.flooredSeconds(date) else { return nil }
        let zone = CronZoneOffsets(timeZone)
        return nextOccurrence(after: after, zone: zone).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// `nextOccurrence` on whole seconds: the least firing instant `> after`.
    func nextOccurrence(after: Int, zone: CronZoneOffsets) -> Int? {
        // Every local time at or below the reading at `after` was reached at or before `after`.
        var local = CronCivilTime.floorDiv(zone.localTime(at: after), 60) * 60 + 60
        let lastYear =
            CronCivilTime.date(days: CronCivilTime.floorDiv(local, CronCivilTime.secondsPerDay)).year
            + Self.searchHorizonYears
        var checkedHighWater = false
        while let match = nextLocalMatch(atOrAfter: local, lastYear: lastYear) {
            let instant = zone.firstInstant(reachingLocal: match)
            if instant > after { return instant }
            // `match` was already reached (we are in the second pass of a fall back): skip past
            // every local time reached so far.
            local = match + 60
            if !checkedHighWater {
                checkedHighWater = true
                local = max(local, CronCivilTime.floorDiv(zone.localHighWater(at: after), 60) * 60 + 60)
            }
        }
        return nil
    }

    /// The last instant at or before `date` at which the schedule fires in `timeZone` (same rules
    /// as `nextOccurrence(after:in:)`), or `nil` if none within `searchHorizonYears`.
    public func previousOccurrence(atOrBefore date: Date, in timeZone: TimeZone) -> Date? {
        guard canEverFire, let end = Self.flooredSeconds(date) else { return nil }
        let zone = CronZoneOffsets(timeZone)
        return previousOccurrence(atOrBefore: end, zone: zone).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    func previousOccurrence(atOrBefore end: Int, zone: CronZoneOffsets) -> Int? {
        let highWater = zone.localHighWater(at: end)
        let firstYear =
            CronCivilTime.date(days: CronCivilTime.floorDiv(highWater, CronCivilTime.secondsPerDay)).year
            - Self.searchHorizonYears
        guard let match = previousLocalMatch(atOrBefore: CronCivilTime.floorDiv(highWater, 60) * 60, firstYear: firstYear)
        else { return nil }
        return zone.firstInstant(reachingLocal: match)
    }

    /// The instants in `(after, until]` at which the schedule fires, in order, at most `limit`.
    public func occurrences(after: Date, until: Date, in timeZone: TimeZone, limit: Int) -> [Date] {
        guard limit > 0, canEverFire, let start = Self.flooredSeconds(after), let end = Self.flooredSeconds(until)
        else { return [] }
        let zone = CronZoneOffsets(timeZone)
        var result: [Date] = []
        var cursor = start
        while result.count < limit, let next = nextOccurrence(after: cursor, zone: zone), next <= end {
            result.append(Date(timeIntervalSince1970: TimeInterval(next)))
            cursor = next
        }
        return result
    }
}

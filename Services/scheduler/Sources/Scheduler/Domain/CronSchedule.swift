/// A parsed five-field cron expression (Vixie cron semantics), evaluated in an IANA time zone.
///
/// Each field is kept as a bitset of allowed values, so matching and searching are a few integer
/// operations. Two schedules are equal when they fire at the same local times (`@daily` equals
/// `0 0 * * *`; `0 0 * * 7` equals `0 0 * * SUN`).
///
/// Day matching follows Vixie cron: when both day of month and day of week are restricted, a day
/// matches if either matches; when one of them is `*`, only the other counts. Only a field written
/// exactly as `*` is unrestricted: `*/2` or `1-31` count as restricted.
///
/// Time-zone behaviour (see `nextOccurrence(after:in:)`): a local time that does not exist (spring
/// forward) fires once, at the first instant after the gap; a local time that happens twice (fall
/// back) fires once, at its first occurrence.
public struct CronSchedule: Sendable, Hashable {
    /// Bits 0–59.
    let minutes: UInt64
    /// Bits 0–23.
    let hours: UInt64
    /// Bits 1–31.
    let daysOfMonth: UInt64
    /// Bits 1–12.
    let months: UInt64
    /// Bits 0–6, 0 = Sunday (a 7 in the expression is folded into 0).
    let daysOfWeek: UInt64
    /// The day-of-month field was written `*`.
    let dayOfMonthIsWildcard: Bool
    /// The day-of-week field was written `*`.
    let dayOfWeekIsWildcard: Bool

    init(
        minutes: UInt64, hours: UInt64, daysOfMonth: UInt64, months: UInt64, daysOfWeek: UInt64,
        dayOfMonthIsWildcard: Bool, dayOfWeekIsWildcard: Bool
    ) {
        self.minutes = minutes
        self.hours = hours
        self.daysOfMonth = daysOfMonth
        self.months = months
        self.daysOfWeek = daysOfWeek
        self.dayOfMonthIsWildcard = dayOfMonthIsWildcard
        self.dayOfWeekIsWildcard = dayOfWeekIsWildcard
    }

    /// How far ahead (or back) a search looks before giving up, in years. Any schedule that can
    /// fire at all fires within 8 years (Feb 29 across a non-leap century year: 2096 → 2104);
    /// schedules that can never fire (`0 0 30 2 *`) are recognised up front and answer `nil`
    /// without searching.
    public static let searchHorizonYears = 10

    /// Whether some calendar day can ever match. Only a restricted day of month with `*` as day of
    /// week can be impossible (`0 0 30 2 *`, `0 0 31 4,6,9,11 *`).
    var canEverFire: Bool {
        guard dayOfWeekIsWildcard, !dayOfMonthIsWildcard else { return true }
        let firstDay = daysOfMonth.trailingZeroBitCount
        for month in 1...12 where months & (1 << UInt64(month)) != 0 {
            if firstDay <= CronCivilTime.maximumDaysInMonth(month) { return true }
        }
        return false
    }

    /// The day rule (without the month): day of month `day` (1–31) that falls on `weekday` (0 = Sunday).
    @inline(__always)
    func dayMatches(day: Int, weekday: Int) -> Bool {
        let domHit = daysOfMonth & (1 << UInt64(day)) != 0
        let dowHit = daysOfWeek & (1 << UInt64(weekday)) != 0
        switch (dayOfMonthIsWildcard, dayOfWeekIsWildcard) {
        case (true, true): return true
        case (true, false): return dowHit
        case (false, true): return domHit
        case (false, false): return domHit || dowHit
        }
    }

    /// Whether a local wall-clock time matches (used by tests and by reference checks).
    func matches(minute: Int, hour: Int, day: Int, month: Int, weekday: Int) -> Bool {
        minutes & (1 << UInt64(minute)) != 0
            && hours & (1 << UInt64(hour)) != 0
            && months & (1 << UInt64(month)) != 0
            && dayMatches(day: day, weekday: weekday)
    }
}

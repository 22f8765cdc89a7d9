import Foundation
import Testing

@testable import Scheduler

private func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
    return date
}

private func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else { fatalError("no time zone \(identifier)") }
    return zone
}

private func schedule(_ expression: String) -> CronSchedule {
    do {
        return try CronSchedule(parsing: expression)
    } catch {
        fatalError("\(expression): \(error)")
    }
}

private func bits(_ values: Int...) -> UInt64 {
    values.reduce(0) { $0 | (1 << UInt64($1)) }
}

private func format(_ date: Date?) -> String {
    guard let date else { return "nil" }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}

struct CronNextRunCase: Sendable, CustomTestStringConvertible {
    let expression: String
    let zone: String
    let after: String
    /// UTC, or nil for "never fires".
    let expected: String?
    let note: String

    var testDescription: String { "\(expression) in \(zone) after \(after): \(note)" }
}

/// Hand-verified next runs (UTC) for expressions, zones and instants.
private let nextRunTable: [CronNextRunCase] = [
    // America/New_York, spring forward 2026-03-08: 02:00 EST (07:00Z) becomes 03:00 EDT.
    .init(
        expression: "30 2 * * *", zone: "America/New_York", after: "2026-03-07T12:00:00Z",
        expected: "2026-03-08T07:00:00Z", note: "02:30 does not exist: runs at 03:00 EDT"),
    .init(
        expression: "30 2 * * *", zone: "America/New_York", after: "2026-03-08T07:00:00Z",
        expected: "2026-03-09T06:30:00Z", note: "next day 02:30 EDT"),
    .init(
        expression: "*/15 * * * *", zone: "America/New_York", after: "2026-03-08T06:50:00Z",
        expected: "2026-03-08T07:00:00Z", note: "02:00-02:45 collapse onto 03:00 EDT"),
    .init(
        expression: "*/15 * * * *", zone: "America/New_York", after: "2026-03-08T07:00:00Z",
        expected: "2026-03-08T07:15:00Z", note: "gap fires once, then 03:15 EDT"),
    .init(
        expression: "0 3 * * *", zone: "America/New_York", after: "2026-03-08T05:00:00Z",
        expected: "2026-03-08T07:00:00Z", note: "03:00 EDT exists"),
    // America/New_York, fall back 2026-11-01: 02:00 EDT (06:00Z) becomes 01:00 EST.
    .init(
        expression: "30 1 * * *", zone: "America/New_York", after: "2026-10-31T12:00:00Z",
        expected: "2026-11-01T05:30:00Z", note: "01:30 repeats: first occurrence (EDT)"),
    .init(
        expression: "30 1 * * *", zone: "America/New_York", after: "2026-11-01T05:30:00Z",
        expected: "2026-11-02T06:30:00Z", note: "not again at 01:30 EST"),
    .init(
        expression: "30 1 * * *", zone: "America/New_York", after: "2026-11-01T06:10:00Z",
        expected: "2026-11-02T06:30:00Z", note: "from inside the repeated hour"),
    .init(
        expression: "*/20 1 * * *", zone: "America/New_York", after: "2026-11-01T05:40:00Z",
        expected: "2026-11-02T06:00:00Z", note: "the whole repeated hour is skipped"),
    .init(
        expression: "0 * * * *", zone: "America/New_York", after: "2026-11-01T05:00:00Z",
        expected: "2026-11-01T07:00:00Z", note: "01:00 EST is a repeat; next is 02:00 EST"),
    .init(
        expression: "0 2 * * *", zone: "America/New_York", after: "2026-11-01T00:00:00Z",
        expected: "2026-11-01T07:00:00Z", note: "02:00 happens once (EST)"),
    // Europe/Berlin, spring forward 2026-03-29 02:00 CET -> 03:00 CEST; fall back 2026-10-25 03:00 CEST -> 02:00 CET.
    .init(
        expression: "30 2 * * *", zone: "Europe/Berlin", after: "2026-03-28T12:00:00Z",
        expected: "2026-03-29T01:00:00Z", note: "02:30 does not exist: 03:00 CEST"),
    .init(
        expression: "30 2 * * *", zone: "Europe/Berlin", after: "2026-10-24T12:00:00Z",
        expected: "2026-10-25T00:30:00Z", note: "02:30 CEST, first occurrence"),
    .init(
        expression: "30 2 * * *", zone: "Europe/Berlin", after: "2026-10-25T00:30:00Z",
        expected: "2026-10-26T01:30:00Z", note: "02:30 CET is skipped"),
    .init(
        expression: "0 3 * * *", zone: "Europe/Berlin", after: "2026-10-25T00:00:00Z",
        expected: "2026-10-25T02:00:00Z", note: "03:00 CET happens once"),
    .init(
        expression: "*/15 9-17 * * MON-FRI", zone: "Europe/Berlin", after: "2026-03-27T16:50:00Z",
        expected: "2026-03-30T07:00:00Z", note: "Friday 17:50 CET -> Monday 09:00 CEST"),
    .init(
        expression: "*/15 9-17 * * MON-FRI", zone: "Europe/Berlin", after: "2026-03-27T16:40:00Z",
        expected: "2026-03-27T16:45:00Z", note: "Friday 17:45 CET"),
    // Australia/Lord_Howe, 2026-04-05 02:00 +11:00 (15:00Z) becomes 01:30 +10:30.
    .init(
        expression: "45 1 * * *", zone: "Australia/Lord_Howe", after: "2026-04-04T12:00:00Z",
        expected: "2026-04-04T14:45:00Z", note: "01:45 +11:00, first occurrence"),
    .init(
        expression: "45 1 * * *", zone: "Australia/Lord_Howe", after: "2026-04-04T14:45:00Z",
        expected: "2026-04-05T15:15:00Z", note: "01:45 +10:30 on 04-05 is a repeat; next day"),
    .init(
        expression: "0 * * * *", zone: "Australia/Lord_Howe", after: "2026-04-04T14:00:00Z",
        expected: "2026-04-04T15:30:00Z", note: "02:00 +10:30 comes 90 minutes after 01:00"),
    .init(
        expression: "30 * * * *", zone: "Australia/Lord_Howe", after: "2026-04-04T14:30:00Z",
        expected: "2026-04-04T16:00:00Z", note: "01:30 +10:30 is a repeat; 02:30 +10:30"),
    // Australia/Lord_Howe, 2026-10-04 02:00 +10:30 (15:30Z) becomes 02:30 +11:00.
    .init(
        expression: "15 2 * * *", zone: "Australia/Lord_Howe", after: "2026-10-03T12:00:00Z",
        expected: "2026-10-03T15:30:00Z", note: "02:15 does not exist: 02:30 +11:00"),
    .init(
        expression: "*/15 * * * *", zone: "Australia/Lord_Howe", after: "2026-10-03T15:10:00Z",
        expected: "2026-10-03T15:15:00Z", note: "01:45 +10:30"),
    .init(
        expression: "*/15 * * * *", zone: "Australia/Lord_Howe", after: "2026-10-03T15:15:00Z",
        expected: "2026-10-03T15:30:00Z", note: "02:00, 02:15, 02:30 fire once at the gap end"),
    .init(
        expression: "*/15 * * * *", zone: "Australia/Lord_Howe", after: "2026-10-03T15:30:00Z",
        expected: "2026-10-03T15:45:00Z", note: "02:45 +11:00"),
    .init(
        expression: "30 2 * * *", zone: "Australia/Lord_Howe", after: "2026-10-03T15:30:00Z",
        expected: "2026-10-04T15:30:00Z", note: "next day 02:30 +11:00"),
    // 30-minute offset without DST.
    .init(
        expression: "@hourly", zone: "Asia/Kolkata", after: "2026-01-01T00:00:00Z",
        expected: "2026-01-01T00:30:00Z", note: "06:00 IST"),
    .init(
        expression: "@hourly", zone: "Asia/Kolkata", after: "2026-01-01T00:30:00Z",
        expected: "2026-01-01T01:30:00Z", note: "07:00 IST"),
    .init(
        expression: "@daily", zone: "Asia/Kolkata", after: "2026-01-01T00:00:00Z",
        expected: "2026-01-01T18:30:00Z", note: "midnight IST"),
    // Vixie cron day rules (2026-04-01 is a Wednesday).
    .init(
        expression: "0 0 13 * FRI", zone: "UTC", after: "2026-04-10T00:00:00Z",
        expected: "2026-04-13T00:00:00Z", note: "the 13th (a Monday) matches by date"),
    .init(
        expression: "0 0 13 * FRI", zone: "UTC", after: "2026-04-13T00:00:00Z",
        expected: "2026-04-17T00:00:00Z", note: "a Friday matches by weekday"),
    .init(
        expression: "0 0 13 * *", zone: "UTC", after: "2026-04-13T00:00:00Z",
        expected: "2026-05-13T00:00:00Z", note: "weekday * : only the date counts"),
    .init(
        expression: "0 0 * * FRI", zone: "UTC", after: "2026-04-10T00:00:00Z",
        expected: "2026-04-17T00:00:00Z", note: "date * : only the weekday counts"),
    .init(
        expression: "0 0 */2 * MON", zone: "UTC", after: "2026-04-06T00:00:00Z",
        expected: "2026-04-07T00:00:00Z", note: "*/2 is restricted: odd dates OR Mondays"),
    .init(
        expression: "0 0 * 2 MON", zone: "UTC", after: "2026-01-01T00:00:00Z",
        expected: "2026-02-02T00:00:00Z", note: "first Monday of February"),
    .init(
        expression: "0 12 * * 7", zone: "UTC", after: "2026-04-01T00:00:00Z",
        expected: "2026-04-05T12:00:00Z", note: "7 is Sunday"),
    .init(
        expression: "0 12 * * 5-7", zone: "UTC", after: "2026-04-05T12:00:00Z",
        expected: "2026-04-10T12:00:00Z", note: "Fri-Sun range through 7"),
    // Month lengths and leap years.
    .init(
        expression: "0 0 31 * *", zone: "UTC", after: "2026-04-01T00:00:00Z",
        expected: "2026-05-31T00:00:00Z", note: "April has no 31st"),
    .init(
        expression: "0 0 31 * *", zone: "UTC", after: "2026-01-31T00:00:00Z",
        expected: "2026-03-31T00:00:00Z", note: "February has no 31st"),
    .init(
        expression: "0 0 29 2 *", zone: "UTC", after: "2026-01-01T00:00:00Z",
        expected: "2028-02-29T00:00:00Z", note: "next leap day"),
    .init(
        expression: "0 0 29 2 *", zone: "UTC", after: "2096-03-01T00:00:00Z",
        expected: "2104-02-29T00:00:00Z", note: "2100 is not a leap year"),
    .init(
        expression: "0 0 30 2 *", zone: "UTC", after: "2026-01-01T00:00:00Z",
        expected: nil, note: "February 30th never comes"),
    .init(
        expression: "0 0 31 4,6,9,11 *", zone: "Europe/Berlin", after: "2026-01-01T00:00:00Z",
        expected: nil, note: "30-day months have no 31st"),
    // Names, macros, steps.
    .init(
        expression: "0 9 1 jan,Jul *", zone: "UTC", after: "2026-01-01T09:00:00Z",
        expected: "2026-07-01T09:00:00Z", note: "month names, any case"),
    .init(
        expression: "@yearly", zone: "UTC", after: "2026-03-01T00:00:00Z",
        expected: "2027-01-01T00:00:00Z", note: "@yearly"),
    .init(
        expression: "@monthly", zone: "UTC", after: "2026-04-15T00:00:00Z",
        expected: "2026-05-01T00:00:00Z", note: "@monthly"),
    .init(
        expression: "@weekly", zone: "UTC", after: "2026-04-01T00:00:00Z",
        expected: "2026-04-05T00:00:00Z", note: "@weekly is Sunday midnight"),
    .init(
        expression: "5/20 * * * *", zone: "UTC", after: "2026-01-01T00:45:00Z",
        expected: "2026-01-01T01:05:00Z", note: "a/n: 5, 25, 45"),
    .init(
        expression: "10-30/10 8 * * *", zone: "UTC", after: "2026-01-01T08:10:00Z",
        expected: "2026-01-01T08:20:00Z", note: "a-b/n"),
    // Strictly after.
    .init(
        expression: "0 9 * * *", zone: "UTC", after: "2026-01-01T09:00:00Z",
        expected: "2026-01-02T09:00:00Z", note: "a match at the instant itself is not next"),
    .init(
        expression: "0 9 * * *", zone: "UTC", after: "2026-01-01T08:59:59.500Z",
        expected: "2026-01-01T09:00:00Z", note: "half a second before"),
]

/// Reference semantics, computed with `Calendar` minute by minute: at each UTC minute `u` the wall
/// clock shows `reading(u)`; every local time above the highest reading so far is reached at `u`,
/// and `u` fires if any of those newly reached local times matches.
private func referenceFirings(_ cron: CronSchedule, zone: TimeZone, from start: Int, through end: Int) -> [Int] {
    var local = Calendar(identifier: .gregorian)
    local.timeZone = zone
    var utc = Calendar(identifier: .gregorian)
    utc.timeZone = TimeZone(identifier: "UTC")!
    func reading(_ u: Int) -> Int {
        let parts = local.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: Double(u)))
        return Int(utc.date(from: parts)!.timeIntervalSince1970)
    }
    func matches(_ wall: Int) -> Bool {
        let parts = utc.dateComponents([.month, .day, .hour, .minute, .weekday], from: Date(timeIntervalSince1970: Double(wall)))
        return cron.matches(minute: parts.minute!, hour: parts.hour!, day: parts.day!, month: parts.month!, weekday: parts.weekday! - 1)
    }
    var highest = reading(start - 60)
    var firings: [Int] = []
    for u in stride(from: start, through: end, by: 60) {
        let shown = reading(u)
        guard shown > highest else { continue }
        if stride(from: highest + 60, through: shown, by: 60).contains(where: matches) {
            firings.append(u)
        }
        highest = shown
    }
    return firings
}

struct CronTransitionCase: Sendable, CustomTestStringConvertible {
    let zone: String
    var testDescription: String { zone }
}

private let referenceExpressions = [
    "*/15 * * * *", "30 2 * * *", "0 * * * *", "45 1 * * *", "0 0 * * *", "*/7 0-3 * * *", "59 23 * * *",
    "0,30 1,2 * * SUN", "15 2 * * *",
]

struct CronInvalidCase: Sendable, CustomTestStringConvertible {
    let expression: String
    let field: String
    let reason: String
    var testDescription: String { "\"\(expression)\"" }
}

private let invalidTable: [CronInvalidCase] = [
    .init(expression: "61 * * * *", field: "minute", reason: "value 61 out of range 0-59"),
    .init(expression: "* 24 * * *", field: "hour", reason: "value 24 out of range 0-23"),
    .init(expression: "0 0 0 * *", field: "day_of_month", reason: "value 0 out of range 1-31"),
    .init(expression: "0 0 32 * *", field: "day_of_month", reason: "value 32 out of range 1-31"),
    .init(expression: "0 0 * 13 *", field: "month", reason: "value 13 out of range 1-12"),
    .init(expression: "0 0 * 0 *", field: "month", reason: "value 0 out of range 1-12"),
    .init(expression: "0 0 * * 8", field: "day_of_week", reason: "value 8 out of range 0-7"),
    .init(expression: "99999999999999999999 * * * *", field: "minute", reason: "value 99999999999999999999 out of range 0-59"),
    .init(expression: "*/0 * * * *", field: "minute", reason: "step must be positive"),
    .init(expression: "0 */-1 * * *", field: "hour", reason: "step must be positive"),
    .init(expression: "0 1-5/0 * * *", field: "hour", reason: "step must be positive"),
    .init(expression: "*/x * * * *", field: "minute", reason: "invalid step x"),
    .init(expression: "*/ * * * *", field: "minute", reason: "missing step after / in */"),
    .init(expression: "*/5/2 * * * *", field: "minute", reason: "malformed step in */5/2"),
    .init(expression: "* * * *", field: "expression", reason: "expected 5 fields, got 4"),
    .init(expression: "0 * * * * *", field: "expression", reason: "expected 5 fields, got 6"),
    .init(expression: "", field: "expression", reason: "expected 5 fields, got 0"),
    .init(expression: "   ", field: "expression", reason: "expected 5 fields, got 0"),
    .init(expression: "@reboot", field: "expression", reason: "unknown macro @reboot"),
    .init(expression: "@every 5m", field: "expression", reason: "unknown macro @every 5m"),
    .init(expression: "0 0 * FOO *", field: "month", reason: "unknown name FOO"),
    .init(expression: "0 0 * * MOX", field: "day_of_week", reason: "unknown name MOX"),
    .init(expression: "0 0 * * MONDAY", field: "day_of_week", reason: "unknown name MONDAY"),
    .init(expression: "0 JAN * * *", field: "hour", reason: "invalid value JAN"),
    .init(expression: "a * * * *", field: "minute", reason: "invalid value a"),
    .init(expression: "0 0 ? * *", field: "day_of_month", reason: "invalid value ?"),
    .init(expression: "0 0 L * *", field: "day_of_month", reason: "invalid value L"),
    .init(expression: "30-10 * * * *", field: "minute", reason: "range start after end in 30-10"),
    .init(expression: "0 0 * * FRI-MON", field: "day_of_week", reason: "range start after end in FRI-MON"),
    .init(expression: "0 0 * DEC-JAN *", field: "month", reason: "range start after end in DEC-JAN"),
    .init(expression: "1-2-3 * * * *", field: "minute", reason: "malformed range 1-2-3"),
    .init(expression: "-5 * * * *", field: "minute", reason: "missing value"),
    .init(expression: "5- * * * *", field: "minute", reason: "missing value"),
    .init(expression: "1,,2 * * * *", field: "minute", reason: "empty list item"),
    .init(expression: "1, * * * *", field: "minute", reason: "empty list item"),
    .init(expression: "* * * * 1-8", field: "day_of_week", reason: "value 8 out of range 0-7"),
]

extension CronSchedule {
    /// The same schedule with the day-of-week field counted as restricted.
    fileprivate var withRestrictedWeekday: CronSchedule {
        CronSchedule(
            minutes: minutes, hours: hours, daysOfMonth: daysOfMonth, months: months, daysOfWeek: daysOfWeek,
            dayOfMonthIsWildcard: dayOfMonthIsWildcard, dayOfWeekIsWildcard: false
        )
    }
}

/// SplitMix64: a small deterministic generator for reproducible tests.
struct CronTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Cron schedule")
struct CronScheduleTests {
    @Test("next occurrence", arguments: nextRunTable)
    func nextOccurrenceTable(_ row: CronNextRunCase) {
        let next = schedule(row.expression).nextOccurrence(after: instant(row.after), in: zone(row.zone))
        #expect(format(next) == (row.expected ?? "nil"), "\(row.note)")
    }

    @Test func macrosEqualTheirExpansions() {
        #expect(schedule("@yearly") == schedule("0 0 1 1 *"))
        #expect(schedule("@ANNUALLY") == schedule("0 0 1 1 *"))
        #expect(schedule("@monthly") == schedule("0 0 1 * *"))
        #expect(schedule("@weekly") == schedule("0 0 * * 0"))
        #expect(schedule("@daily") == schedule("0 0 * * *"))
        #expect(schedule("@midnight") == schedule("0 0 * * *"))
        #expect(schedule("@hourly") == schedule("0 * * * *"))
        #expect(schedule("  @daily\t") == schedule("0 0 * * *"))
    }

    @Test func sevenAndNamesAreSunday() {
        #expect(schedule("0 12 * * 7") == schedule("0 12 * * 0"))
        #expect(schedule("0 12 * * sun") == schedule("0 12 * * 0"))
        #expect(schedule("0 12 * * 0-7") == schedule("0 12 * * *").withRestrictedWeekday)
        #expect(schedule("0 0 * * 6,7").daysOfWeek == bits(0, 6))
    }

    @Test func fieldBitsets() {
        let parsed = schedule("*/15 9-17 * * MON-FRI")
        #expect(parsed.minutes == bits(0, 15, 30, 45))
        #expect(parsed.hours == bits(9, 10, 11, 12, 13, 14, 15, 16, 17))
        #expect(parsed.daysOfWeek == bits(1, 2, 3, 4, 5))
        #expect(parsed.dayOfMonthIsWildcard)
        #expect(!parsed.dayOfWeekIsWildcard)
        #expect(schedule("0 0 */2 * *").dayOfMonthIsWildcard == false)
        #expect(schedule("0 0 1,15 * *").daysOfMonth == bits(1, 15))
        #expect(schedule("1,2,3-5,50-59/3 * * * *").minutes == bits(1, 2, 3, 4, 5, 50, 53, 56, 59))
        #expect(schedule("0 0 1 feb-APR,Dec *").months == bits(2, 3, 4, 12))
        #expect(schedule("*/25 * * * *").minutes == bits(0, 25, 50))
        #expect(schedule("0 0 * * 5-7").daysOfWeek == bits(0, 5, 6))
    }

    @Test func previousOccurrence() {
        let ny = zone("America/New_York")
        let hourly = schedule("0 * * * *")
        #expect(
            format(hourly.previousOccurrence(atOrBefore: instant("2026-11-01T06:30:00Z"), in: ny))
                == "2026-11-01T05:00:00Z")  // 01:30 EST: 01:00 EST was a repeat, 01:00 EDT counts
        #expect(
            format(hourly.previousOccurrence(atOrBefore: instant("2026-11-01T07:00:00Z"), in: ny))
                == "2026-11-01T07:00:00Z")  // at or before: inclusive
        let berlin = zone("Europe/Berlin")
        let twoThirty = schedule("30 2 * * *")
        #expect(
            format(twoThirty.previousOccurrence(atOrBefore: instant("2026-03-29T01:00:00Z"), in: berlin))
                == "2026-03-29T01:00:00Z")  // the gap slot
        #expect(
            format(twoThirty.previousOccurrence(atOrBefore: instant("2026-03-29T00:59:59Z"), in: berlin))
                == "2026-03-28T01:30:00Z")
        #expect(schedule("0 0 30 2 *").previousOccurrence(atOrBefore: instant("2026-01-01T00:00:00Z"), in: berlin) == nil)
    }

    @Test func occurrencesListAndLimit() {
        let list = schedule("*/15 * * * *").occurrences(
            after: instant("2026-03-08T06:30:00Z"), until: instant("2026-03-08T07:30:00Z"),
            in: zone("America/New_York"), limit: 100
        )
        #expect(
            list.map(format) == [
                "2026-03-08T06:45:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:15:00Z", "2026-03-08T07:30:00Z",
            ])
        let limited = schedule("* * * * *").occurrences(
            after: instant("2026-01-01T00:00:00Z"), until: instant("2027-01-01T00:00:00Z"), in: zone("UTC"), limit: 3
        )
        #expect(limited.count == 3)
        #expect(
            schedule("* * * * *").occurrences(
                after: instant("2026-01-01T00:00:00Z"), until: instant("2027-01-01T00:00:00Z"), in: zone("UTC"), limit: 0
            ).isEmpty)
    }

    @Test func absurdInstantsGiveNil() {
        let every = schedule("* * * * *")
        #expect(every.nextOccurrence(after: Date(timeIntervalSince1970: .infinity), in: zone("UTC")) == nil)
        #expect(every.nextOccurrence(after: Date(timeIntervalSince1970: .nan), in: zone("UTC")) == nil)
        #expect(every.nextOccurrence(after: .distantFuture, in: zone("Europe/Berlin")) != nil)
    }

    @Test(
        "matches a brute-force reference across DST transitions",
        arguments: [
            "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago",
            "America/Havana",
        ].map(CronTransitionCase.init))
    func crossCheckAroundTransitions(_ row: CronTransitionCase) {
        let tz = zone(row.zone)
        var transitions: [Int] = []
        var cursor = instant("2026-01-01T00:00:00Z")
        while let next = tz.nextDaylightSavingTimeTransition(after: cursor), next < instant("2027-01-01T00:00:00Z") {
            transitions.append(Int(next.timeIntervalSince1970))
            cursor = next
        }
        #expect(transitions.count == 2, "expected two transitions in 2026 in \(row.zone)")
        for transition in transitions {
            let start = transition - 14 * 3600
            let end = transition + 14 * 3600
            for expression in referenceExpressions {
                let cron = schedule(expression)
                let expected = referenceFirings(cron, zone: tz, from: start, through: end)
                let actual = cron.occurrences(
                    after: Date(timeIntervalSince1970: Double(start - 1)), until: Date(timeIntervalSince1970: Double(end)),
                    in: tz, limit: 10_000
                ).map { Int($0.timeIntervalSince1970) }
                #expect(
                    actual == expected, "\(expression) in \(row.zone) around \(format(Date(timeIntervalSince1970: Double(transition))))")
                // Counting and coalescing agree with the enumeration, on windows that start and end anywhere.
                #expect(
                    cron.occurrenceCount(
                        after: Date(timeIntervalSince1970: Double(start - 1)), through: Date(timeIntervalSince1970: Double(end)), in: tz
                    ) == expected.count, "count of \(expression) in \(row.zone)")
                for (from, to) in [
                    (start, transition), (transition - 5400, transition + 5400), (transition - 1, end), (transition - 3600, transition + 1),
                ] {
                    let inWindow = expected.filter { $0 > from && $0 <= to }
                    let catchUp = cron.catchUp(
                        after: Date(timeIntervalSince1970: Double(from)), now: Date(timeIntervalSince1970: Double(to)), in: tz
                    )
                    #expect(
                        catchUp.map { Int($0.latestSlot.timeIntervalSince1970) } == inWindow.last,
                        "latest of \(expression) in \(row.zone) (\(from), \(to)]")
                    #expect(
                        catchUp?.missedSlots == (inWindow.isEmpty ? nil : inWindow.count - 1),
                        "missed of \(expression) in \(row.zone) (\(from), \(to)]")
                    let previous = cron.previousOccurrence(atOrBefore: Date(timeIntervalSince1970: Double(to)), in: tz)
                    if let last = expected.last(where: { $0 <= to }) {
                        #expect(previous.map { Int($0.timeIntervalSince1970) } == last, "previous of \(expression) in \(row.zone) at \(to)")
                    }
                }
            }
        }
    }

    @Test func randomInstantsMatchReferenceInUTCAndBerlin() {
        var generator = CronTestRandom(seed: 42)
        for expression in ["*/15 9-17 * * MON-FRI", "0 0 13 * FRI", "5 4 * * SUN", "0 22 * * 1-5", "23 0-20/2 * * *"] {
            let cron = schedule(expression)
            for zoneName in ["UTC", "Europe/Berlin"] {
                let tz = zone(zoneName)
                for _ in 0..<4 {
                    let start = 1_767_225_600 + Int.random(in: 0..<(365 * 86_400), using: &generator) / 60 * 60
                    let expected = referenceFirings(cron, zone: tz, from: start, through: start + 9 * 86_400).first
                    let actual = cron.nextOccurrence(after: Date(timeIntervalSince1970: Double(start - 1)), in: tz)
                    #expect(actual.map { Int($0.timeIntervalSince1970) } == expected, "\(expression) in \(zoneName) after \(start - 1)")
                }
            }
        }
    }

    // MARK: - Coalescing

    @Test func catchUpCoalescesAYearOfMinutes() {
        let clock = ContinuousClock()
        let began = clock.now
        let result = schedule("* * * * *").catchUp(
            after: instant("2025-01-01T00:00:00Z"), now: instant("2026-01-01T00:00:30Z"), in: zone("UTC")
        )
        let elapsed = clock.now - began
        #expect(format(result?.latestSlot) == "2026-01-01T00:00:00Z")
        #expect(result?.missedSlots == 365 * 1440 - 1)
        #expect(result?.missedSlotsTruncated == false)
        #expect(format(result?.nextSlot) == "2026-01-01T00:01:00Z")
        #expect(elapsed < .milliseconds(200), "counting must not walk every slot")
    }

    @Test func catchUpAcrossFallBack() {
        // 00:00 EDT .. 03:30 EST: 01:00 EDT, 02:00 EST, 03:00 EST (01:00 EST is a repeat).
        let result = schedule("0 * * * *").catchUp(
            after: instant("2026-11-01T04:00:00Z"), now: instant("2026-11-01T08:30:00Z"), in: zone("America/New_York")
        )
        #expect(format(result?.latestSlot) == "2026-11-01T08:00:00Z")
        #expect(result?.missedSlots == 2)
        #expect(format(result?.nextSlot) == "2026-11-01T09:00:00Z")
    }

    @Test func catchUpAcrossSpringForward() {
        // 01:00 EST .. 03:30 EDT: 01:15, 01:30, 01:45, (02:00-03:00 at 07:00Z), 03:15, 03:30.
        let result = schedule("*/15 * * * *").catchUp(
            after: instant("2026-03-08T06:00:00Z"), now: instant("2026-03-08T07:30:00Z"), in: zone("America/New_York")
        )
        #expect(format(result?.latestSlot) == "2026-03-08T07:30:00Z")
        #expect(result?.missedSlots == 5)
    }

    @Test func catchUpLordHoweHalfHourFallBack() {
        // 00:00 +11 .. 03:00 +10:30: 01:00 +11 (14:00Z), 02:00 +10:30 (15:30Z), 03:00 +10:30 (16:30Z).
        let result = schedule("0 * * * *").catchUp(
            after: instant("2026-04-04T13:00:00Z"), now: instant("2026-04-04T16:30:00Z"), in: zone("Australia/Lord_Howe")
        )
        #expect(format(result?.latestSlot) == "2026-04-04T16:30:00Z")
        #expect(result?.missedSlots == 2)
    }

    @Test func catchUpNothingDue() {
        let hourly = schedule("0 * * * *")
        #expect(hourly.catchUp(after: instant("2026-01-01T10:00:00Z"), now: instant("2026-01-01T10:59:59Z"), in: zone("UTC")) == nil)
        #expect(hourly.catchUp(after: instant("2026-01-01T10:00:00Z"), now: instant("2026-01-01T10:00:00Z"), in: zone("UTC")) == nil)
        #expect(
            schedule("0 0 30 2 *").catchUp(after: instant("2020-01-01T00:00:00Z"), now: instant("2026-01-01T00:00:00Z"), in: zone("UTC"))
                == nil)
        // A slot exactly at now is due; one exactly at lastSlot is not.
        let exact = hourly.catchUp(after: instant("2026-01-01T10:00:00Z"), now: instant("2026-01-01T11:00:00Z"), in: zone("UTC"))
        #expect(format(exact?.latestSlot) == "2026-01-01T11:00:00Z")
        #expect(exact?.missedSlots == 0)
        // `from:` counts the first due slot itself.
        let fromNextRun = hourly.catchUp(from: instant("2026-01-01T10:00:00Z"), now: instant("2026-01-01T11:00:00Z"), in: zone("UTC"))
        #expect(fromNextRun?.missedSlots == 1)
    }

    @Test func yearlyCountsInNewYork() {
        // 8760 local hours in 2026; 02:00 and 03:00 on 03-08 both first happen at 07:00Z, and the
        // repeated 01:00 on 11-01 runs once: 8759 runs.
        let ny = zone("America/New_York")
        let after = instant("2026-01-01T04:59:59Z")  // 23:59:59 EST on 2025-12-31
        let through = instant("2027-01-01T04:59:59Z")
        #expect(schedule("0 * * * *").occurrenceCount(after: after, through: through, in: ny) == 8759)
        #expect(schedule("0 * * * *").occurrences(after: after, until: through, in: ny, limit: 100_000).count == 8759)
        // Every 15 minutes: 02:00, 02:15, 02:30, 02:45 and 03:00 are one run.
        #expect(schedule("*/15 * * * *").occurrenceCount(after: after, through: through, in: ny) == 365 * 96 - 4)
        #expect(schedule("*/15 * * * *").occurrences(after: after, until: through, in: ny, limit: 100_000).count == 365 * 96 - 4)
    }

    @Test func catchUpTruncatesVeryLongBacklogs() {
        let result = schedule("0 0 * * *").catchUp(
            after: instant("1990-01-01T00:00:00Z"), now: instant("2026-01-01T12:00:00Z"), in: zone("UTC")
        )
        #expect(format(result?.latestSlot) == "2026-01-01T00:00:00Z")
        #expect(result?.missedSlotsTruncated == true)
        #expect((result?.missedSlots ?? 0) >= 3650)
    }

    @Test("invalid expressions name the field and the fault", arguments: invalidTable)
    func invalidExpressions(_ row: CronInvalidCase) {
        do {
            let parsed = try CronSchedule(parsing: row.expression)
            Issue.record("accepted \(row.expression) as \(parsed)")
        } catch {
            #expect(error.fieldName == row.field)
            #expect(error.reason == row.reason)
            #expect(error.description == "cron_expression: \(row.field): \(row.reason)")
        }
    }

    @Test func errorDescriptionReadsLikeTheAPI() {
        #expect(throws: CronParseError(field: .hour, reason: "value 24 out of range 0-23")) {
            try CronSchedule(parsing: "0 24 * * *")
        }
        #expect(
            CronParseError(field: .hour, reason: "value 24 out of range 0-23").description
                == "cron_expression: hour: value 24 out of range 0-23")
        #expect(
            CronParseError(field: nil, reason: "expected 5 fields, got 4").description
                == "cron_expression: expression: expected 5 fields, got 4")
    }

    @Test func whitespaceAndCaseAreTolerated() throws {
        #expect(try CronSchedule(parsing: " 0\t9  * * mon ") == CronSchedule(parsing: "0 9 * * 1"))
        #expect(try CronSchedule(parsing: "0 0 1 Jan-mAR *") == CronSchedule(parsing: "0 0 1 1-3 *"))
        #expect(try CronSchedule(parsing: "0 0 * * */2") == CronSchedule(parsing: "0 0 * * 0,2,4,6"))
        #expect(try CronSchedule(parsing: "0 0 * * 5/1") == CronSchedule(parsing: "0 0 * * 5,6"))
    }

    // MARK: - Time zones

    @Test func timeZoneValidation() {
        for valid in [
            "UTC", "GMT", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Etc/UTC",
            "America/Argentina/Buenos_Aires",
        ] {
            #expect(IANATimeZone.isValid(valid), "\(valid) should be accepted")
        }
        for invalid in [
            "EST", "PST", "CET", "est", "utc", "", " UTC", "Europe/berlin", "Europe/Atlantis", "UTC+1", "GMT+2",
            "Mars/Olympus_Mons", "../etc/passwd",
        ] {
            #expect(!IANATimeZone.isValid(invalid), "\(invalid) should be rejected")
        }
        #expect(IANATimeZone.timeZone(identifier: "UTC")?.secondsFromGMT() == 0)
        #expect(IANATimeZone.timeZone(identifier: "Asia/Kolkata")?.secondsFromGMT() == 19_800)
    }

    // MARK: - Performance

    @Test func nextOccurrenceIsFast() throws {
        // Debug builds are several times slower than the ≥ 500,000/s measured with -O; this only
        // guards against a regression to per-minute stepping or Calendar arithmetic.
        let rate = try CronSchedule.benchmarkNextOccurrence(iterations: 20_000)
        #expect(rate > 20_000, "\(Int(rate)) next-occurrence computations per second")
    }
}

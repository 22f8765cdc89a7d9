import Foundation

/// A fast, allocation-light RFC 3339 formatter and parser.
///
/// Hand-written rather than `ISO8601DateFormatter` because dates are on every response (it is
/// not `Sendable` and is slow to create) and because the contract needs exactly one output
/// shape: UTC, `T`, three fractional digits, `Z`.
enum RFC3339 {
    private static let secondsPerDay: Int64 = 86_400

    /// Formats with millisecond precision, truncating (never rounding up into the future).
    /// The value is first rounded to whole microseconds so binary noise in `Date`'s `Double`
    /// (`.123` stored as `.12299999`) does not lose a millisecond.
    static func format(_ date: Date) -> String {
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let milliseconds = floorDivide(microseconds, 1_000)
        let seconds = floorDivide(milliseconds, 1_000)
        let millisecondOfSecond = Int(milliseconds - seconds * 1_000)
        let days = floorDivide(seconds, secondsPerDay)
        let secondOfDay = Int(seconds - days * secondsPerDay)
        let (year, month, day) = civilDate(fromDaysSinceEpoch: days)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendDigits(&bytes, Int(year), width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(&bytes, month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(&bytes, day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(&bytes, secondOfDay / 3_600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(&bytes, secondOfDay / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(&bytes, secondOfDay % 60, width: 2)
        bytes.append(UInt8(ascii: "."))
        appendDigits(&bytes, millisecondOfSecond, width: 3)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. `T` may be `t` or a space and `Z`
    /// may be `z` (RFC 3339 §5.6 allows both); a leap second `:60` is read as the next second.
    /// Fractions keep up to nanosecond digits; more digits are accepted and ignored.
    static func parse(_ text: String) -> Date? {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { parse(bytes: $0) } ?? nil
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var cursor = 0

        func number(_ width: Int) -> Int? {
            guard cursor + width <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<width {
                let byte = bytes[cursor + offset]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            cursor += width
            return value
        }

        func expect(_ allowed: UInt8...) -> Bool {
            guard cursor < bytes.count, allowed.contains(bytes[cursor]) else { return false }
            cursor += 1
            return true
        }

        guard let year = number(4), expect(UInt8(ascii: "-")),
            let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2), expect(UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")),
            let hour = number(2), expect(UInt8(ascii: ":")),
            let minute = number(2), expect(UInt8(ascii: ":")),
            let second = number(2)
        else { return nil }

        guard (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }

        var fraction = 0.0
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
            cursor += 1
            var nanoseconds = 0
            var digits = 0
            while cursor < bytes.count, bytes[cursor] >= UInt8(ascii: "0"), bytes[cursor] <= UInt8(ascii: "9") {
                if digits < 9 {
                    nanoseconds = nanoseconds * 10 + Int(bytes[cursor] - UInt8(ascii: "0"))
                }
                digits += 1
                cursor += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanoseconds *= 10 }
            fraction = Double(nanoseconds) / 1_000_000_000
        }

        var offsetSeconds = 0
        guard cursor < bytes.count else { return nil }
        switch bytes[cursor] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            cursor += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[cursor] == UInt8(ascii: "-") ? -1 : 1
            cursor += 1
            guard let offsetHour = number(2), expect(UInt8(ascii: ":")), let offsetMinute = number(2),
                (0...23).contains(offsetHour), (0...59).contains(offsetMinute)
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3_600 + offsetMinute * 60)
        default:
            return nil
        }
        guard cursor == bytes.count else { return nil }

        let days = daysSinceEpoch(year: Int64(year), month: month, day: day)
        let wholeSeconds = days * secondsPerDay + Int64(hour * 3_600 + minute * 60 + second) - Int64(offsetSeconds)
        return Date(timeIntervalSince1970: Double(wholeSeconds) + fraction)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, Howard Hinnant's algorithms)

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    private static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func daysSinceEpoch(year: Int64, month: Int, day: Int) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilDate(fromDaysSinceEpoch days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Appends `value` in decimal, zero-padded to `width`, without intermediate allocations.
    private static func appendDigits(_ bytes: inout [UInt8], _ value: Int, width: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(&bytes, -value, width: width)
            return
        }
        var divisor = 1
        for _ in 1..<max(width, 1) { divisor *= 10 }
        while value / divisor >= 10 { divisor *= 10 }
        var remaining = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(remaining / divisor))
            remaining %= divisor
            divisor /= 10
        }
    }
}

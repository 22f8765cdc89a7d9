extension CronSchedule {
    /// The macros and the five-field expressions they stand for (matched case-insensitively).
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    /// Parses a five-field cron expression (`minute hour day-of-month month day-of-week`) or one of
    /// the macros `@yearly @annually @monthly @weekly @daily @midnight @hourly`.
    ///
    /// Each field is a comma-separated list of `*`, `n`, `a-b`, `*/n`, `a-b/n` or `a/n` (`a` through
    /// the field's end, every `n`). Month accepts `JAN`–`DEC` and day of week `SUN`–`SAT`
    /// (case-insensitive); day of week accepts 0–7 with both 0 and 7 meaning Sunday. Fields are
    /// separated by spaces or tabs; leading and trailing white space is ignored.
    public init(parsing expression: String) throws(CronParseError) {
        let trimmed = expression.trimmingASCIIWhitespace()
        var text = trimmed
        if trimmed.hasPrefix("@") {
            guard let expansion = Self.macros[trimmed.lowercased()] else {
                throw CronParseError(field: nil, reason: "unknown macro \(trimmed)")
            }
            text = Substring(expansion)
        }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard parts.count == 5 else {
            throw CronParseError(field: nil, reason: "expected 5 fields, got \(parts.count)")
        }
        let minutes = try Self.parseField(parts[0], as: .minute)
        let hours = try Self.parseField(parts[1], as: .hour)
        let daysOfMonth = try Self.parseField(parts[2], as: .dayOfMonth)
        let months = try Self.parseField(parts[3], as: .month)
        var daysOfWeek = try Self.parseField(parts[4], as: .dayOfWeek)
        if daysOfWeek & (1 << 7) != 0 {  // 7 is Sunday too
            daysOfWeek = (daysOfWeek & ~(UInt64(1) << 7)) | 1
        }
        self.init(
            minutes: minutes, hours: hours, daysOfMonth: daysOfMonth, months: months, daysOfWeek: daysOfWeek,
            dayOfMonthIsWildcard: parts[2] == "*", dayOfWeekIsWildcard: parts[4] == "*"
        )
    }

    /// The bitset of one field's list.
    static func parseField(_ text: Substring, as field: CronField) throws(CronParseError) -> UInt64 {
        var mask: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            mask |= try parseItem(item, as: field)
        }
        return mask
    }

    /// One list item: `*`, `n`, `a-b`, optionally followed by `/step`.
    static func parseItem(_ item: Substring, as field: CronField) throws(CronParseError) -> UInt64 {
        func fail(_ reason: String) -> CronParseError { CronParseError(field: field, reason: reason) }
        guard !item.isEmpty else { throw fail("empty list item") }

        let slashParts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard slashParts.count <= 2 else { throw fail("malformed step in \(item)") }
        let base = slashParts[0]
        var step = 1
        if slashParts.count == 2 {
            let stepText = slashParts[1]
            guard !stepText.isEmpty else { throw fail("missing step after / in \(item)") }
            guard let parsed = Int(stepText) else {
                if stepText.allSatisfy(\.isASCIIDigit) { throw fail("step \(stepText) too large") }
                throw fail("invalid step \(stepText)")
            }
            guard parsed > 0 else { throw fail("step must be positive") }
            step = parsed
        }

        let low: Int
        let high: Int
        if base == "*" {
            low = field.wildcardValues.lowerBound
            high = field.wildcardValues.upperBound
        } else {
            let rangeParts = base.split(separator: "-", omittingEmptySubsequences: false)
            switch rangeParts.count {
            case 1:
                low = try parseValue(rangeParts[0], as: field)
                // `a/n` means a through the end of the field; a plain `a` is just a.
                high = slashParts.count == 2 ? max(low, field.wildcardValues.upperBound) : low
            case 2:
                low = try parseValue(rangeParts[0], as: field)
                high = try parseValue(rangeParts[1], as: field)
                guard low <= high else { throw fail("range start after end in \(base)") }
            default:
                throw fail("malformed range \(base)")
            }
        }

        var mask: UInt64 = 0
        var value = low
        while value <= high {
            mask |= 1 << UInt64(value)
            let (next, overflow) = value.addingReportingOverflow(step)
            if overflow { break }
            value = next
        }
        return mask
    }

    /// A number in the field's range, or a name for month / day of week.
    static func parseValue(_ token: Substring, as field: CronField) throws(CronParseError) -> Int {
        let allowed = field.allowedValues
        if !token.isEmpty, token.allSatisfy(\.isASCIIDigit) {
            guard let value = Int(token), allowed.contains(value) else {
                throw CronParseError(
                    field: field,
                    reason: "value \(token) out of range \(allowed.lowerBound)-\(allowed.upperBound)"
                )
            }
            return value
        }
        if field.hasNames {
            guard let value = field.value(forName: token) else {
                throw CronParseError(field: field, reason: token.isEmpty ? "missing value" : "unknown name \(token)")
            }
            return value
        }
        throw CronParseError(field: field, reason: token.isEmpty ? "missing value" : "invalid value \(token)")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    fileprivate func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let sub = self[...]
        guard let first = sub.firstIndex(where: { !isSpace($0) }),
            let last = sub.lastIndex(where: { !isSpace($0) })
        else { return Substring("") }
        return Substring(sub[first...last])
    }
}

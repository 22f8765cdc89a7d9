/// One of the five positions of a cron expression.
///
/// `name` is the spelling used in errors and in the API (`day_of_month`, `day_of_week`).
public enum CronField: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case minute = 0
    case hour
    case dayOfMonth
    case month
    case dayOfWeek

    /// The name used in error messages: `minute`, `hour`, `day_of_month`, `month`, `day_of_week`.
    public var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day_of_month"
        case .month: "month"
        case .dayOfWeek: "day_of_week"
        }
    }

    public var description: String { name }

    /// The values a number in this field may take (`day_of_week` accepts 7 as a second Sunday).
    public var allowedValues: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The values `*` (and the open end of `a/n`) stand for; for `day_of_week` that is 0–6.
    var wildcardValues: ClosedRange<Int> {
        self == .dayOfWeek ? 0...6 : allowedValues
    }

    /// The value of a case-insensitive three-letter name (`JAN`–`DEC`, `SUN`–`SAT`), if this field has names.
    func value(forName text: Substring) -> Int? {
        let names: [String]
        switch self {
        case .month:
            names = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        case .dayOfWeek:
            names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        default:
            return nil
        }
        let upper = text.uppercased()
        guard let index = names.firstIndex(of: upper) else { return nil }
        return self == .month ? index + 1 : index
    }

    /// Whether this field accepts names at all.
    var hasNames: Bool { self == .month || self == .dayOfWeek }
}

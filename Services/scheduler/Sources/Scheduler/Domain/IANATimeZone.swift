public import Foundation

/// Validation of the `timezone` of a job: IANA names only.
///
/// Foundation also accepts abbreviations (`TimeZone(identifier: "PST")` is a fixed UTC−8 zone with
/// no daylight saving time, `"EST"` likewise), which would silently schedule jobs an hour off for
/// half the year. Accepted are: `UTC` and `GMT`; the identifiers in
/// `TimeZone.knownTimeZoneIdentifiers`; and other `Area/Location` names that Foundation resolves to
/// exactly that identifier (the known list on Linux omits some current IANA names such as
/// `Asia/Kolkata` and `Etc/UTC`). Matching is case-sensitive, as in the IANA database.
public enum IANATimeZone {
    static let knownIdentifiers: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers)

    /// The time zone for an IANA identifier, or `nil` if `identifier` is not one.
    public static func timeZone(identifier: String) -> TimeZone? {
        if identifier == "UTC" || identifier == "GMT" {
            return TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)
        }
        guard !identifier.isEmpty, identifier.count <= 64,
            knownIdentifiers.contains(identifier) || identifier.contains("/"),
            let zone = TimeZone(identifier: identifier), zone.identifier == identifier
        else { return nil }
        return zone
    }

    /// Whether `identifier` is an accepted IANA time zone name.
    public static func isValid(_ identifier: String) -> Bool {
        timeZone(identifier: identifier) != nil
    }
}

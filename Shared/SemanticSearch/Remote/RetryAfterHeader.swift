import Foundation

/// Reads an HTTP `Retry-After` value: delay-seconds (RFC 9110 §10.2.3) or an HTTP-date.
///
/// Google and OpenAI send whole seconds; a fractional value is accepted too because some
/// OpenAI-compatible proxies send one. Unparseable values are ignored (the backoff applies).
enum RetryAfterHeader {
    static func delay(_ value: String?, now: Date = Date()) -> Duration? {
        guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let seconds = Double(raw), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: raw) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

public import Foundation

/// Reads typed values from environment variables, once, at start-up.
///
/// Every accessor throws a ``ConfigurationError`` naming the variable when a value is malformed,
/// so that start-up fails fast with one clear line instead of misbehaving later. Empty strings
/// count as unset: `FOO=` in a compose file means "not configured".
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// The raw value, or nil when unset or empty.
    public func string(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    public func string(_ name: String, default defaultValue: String) -> String {
        string(name) ?? defaultValue
    }

    public func required(_ name: String, because reason: String = "is required") throws(ConfigurationError) -> String {
        guard let value = string(name) else { throw ConfigurationError(name, reason) }
        return value
    }

    public func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let raw = string(name) else { return defaultValue }
        guard let value = Int(raw), range.contains(value) else {
            throw ConfigurationError(name, "must be an integer from \(range.lowerBound) to \(range.upperBound) (got \"\(raw)\")")
        }
        return value
    }

    public func double(_ name: String, default defaultValue: Double, range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        guard let raw = string(name) else { return defaultValue }
        guard let value = Double(raw), value.isFinite, range.contains(value) else {
            throw ConfigurationError(name, "must be a number from \(range.lowerBound) to \(range.upperBound) (got \"\(raw)\")")
        }
        return value
    }

    /// Booleans accept `1/0`, `true/false`, `yes/no`, `on/off` in any case.
    public func bool(_ name: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let raw = string(name) else { return defaultValue }
        switch raw.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(name, "must be true or false (got \"\(raw)\")")
        }
    }

    /// A duration given in milliseconds.
    public func milliseconds(_ name: String, default defaultValue: Duration, range: ClosedRange<Int>) throws(ConfigurationError) -> Duration
    {
        guard string(name) != nil else { return defaultValue }
        return .milliseconds(try int(name, default: 0, range: range))
    }

    /// An absolute `http` or `https` URL.
    public func httpURL(_ name: String) throws(ConfigurationError) -> URL? {
        guard let raw = string(name) else { return nil }
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw ConfigurationError(name, "must be an http:// or https:// URL (got \"\(raw)\")")
        }
        return url
    }

    /// A value from a fixed set, compared case-insensitively.
    public func oneOf(_ name: String, _ allowed: [String], default defaultValue: String) throws(ConfigurationError) -> String {
        guard let raw = string(name) else { return defaultValue }
        guard let match = allowed.first(where: { $0.caseInsensitiveCompare(raw) == .orderedSame }) else {
            throw ConfigurationError(name, "must be one of \(allowed.joined(separator: ", ")) (got \"\(raw)\")")
        }
        return match
    }
}

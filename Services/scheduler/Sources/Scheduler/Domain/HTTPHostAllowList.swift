import ApexProtocol
import Foundation
public import ServiceKit

/// The hosts `http` actions may call (`JOB_HTTP_ALLOWED_HOSTS`): exact host names or IP
/// literals, compared case-insensitively, ports ignored.
///
/// Checked twice: when a job or task is created (a 400 naming `action.url`) and again right before
/// each call, because the list may have shrunk since (a deploy with a narrower list must stop
/// calls to hosts it no longer allows). Redirects are never followed, so the host checked is the
/// host called.
public struct HTTPHostAllowList: Sendable, Equatable {
    public let hosts: Set<String>

    public init(hosts: some Sequence<String>) {
        self.hosts = Set(hosts.map { $0.lowercased() })
    }

    /// Parses the comma-separated variable; an entry that is not a bare host name stops start-up.
    public init(variable: String, value: String?) throws(ConfigurationError) {
        var hosts: Set<String> = []
        for raw in (value ?? "").split(separator: ",") {
            let entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !entry.isEmpty else { continue }
            let allowed = entry.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "[" || $0 == "]"
            }
            guard allowed, !entry.contains("://") else {
                throw ConfigurationError(
                    variable, "must be a comma-separated list of host names without scheme, port or path (got \"\(entry)\")")
            }
            hosts.insert(entry)
        }
        self.hosts = hosts
    }

    /// The host of `url` as it will be called (lowercased, IPv6 brackets removed), or `nil` when
    /// the URL has none.
    public static func host(of url: String) -> String? {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return nil }
        return host.lowercased()
    }

    /// Why `url` may not be called, or `nil` when its host is allowed.
    public func refusal(for url: String) -> String? {
        // The contract's own URL rules first (scheme, user info, characters): a row written
        // before a rule existed is held to it too.
        if let fault = JobAction.urlFault(url) { return fault }
        guard let host = Self.host(of: url) else { return "must name a host" }
        let bracketed = "[\(host)]"
        if hosts.contains(host) || hosts.contains(bracketed) { return nil }
        return "host \"\(host)\" is not in JOB_HTTP_ALLOWED_HOSTS"
    }
}

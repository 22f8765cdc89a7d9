import Foundation

/// Rules for an action on its own; a request holding one reports them under `action.`.
extension JobAction: ContractValidatable {
    public func validate() -> [FieldError] {
        var rules = FieldRules()
        switch self {
        case .notify(let title, _):
            rules.notEmpty(title, "title")
        case .memoryScan:
            break
        case .http(let url, _, _):
            if let fault = Self.urlFault(url) { rules.fail("url", fault) }
        case .agent(let agentType, let query):
            rules.notEmpty(agentType, "agent_type")
            rules.notEmpty(query, "query")
        }
        return rules.errors
    }

    /// Why `url` cannot be the target of an `http` action, or nil when its shape is acceptable.
    ///
    /// Whitespace, control characters and backslashes are refused outright: URL parsers
    /// disagree about them (WHATWG reads `\` as `/`), and a URL read one way when checked and
    /// another when called could slip past the host allow-list. User info is refused for the
    /// same reason (`http://allowed.example@evil.example/`) and because credentials do not
    /// belong in a stored job.
    public static func urlFault(_ url: String) -> String? {
        if url.isEmpty { return "must not be empty" }
        if url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" }) {
            return "must not contain whitespace, control characters or backslashes"
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            return "must be an absolute http or https URL"
        }
        guard ["http", "https"].contains(scheme.lowercased()) else {
            return "must use the http or https scheme"
        }
        if components.percentEncodedUser != nil || components.percentEncodedPassword != nil {
            return "must not contain user info"
        }
        guard let host = components.percentEncodedHost, !host.isEmpty else {
            return "must name a host"
        }
        return nil
    }
}

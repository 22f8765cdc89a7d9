public import Foundation

/// Turns a configured base URL into the versioned root of a provider's API.
///
/// Operators paste base URLs in both forms (`https://api.openai.com` and
/// `https://api.openai.com/v1/`), so a trailing version segment is kept and a missing one added.
/// The embedders and memory's language-model extractors share `OPENAI_BASE_URL` and
/// `GEMINI_BASE_URL`, so both read them through this one function.
public enum RemoteEndpoint {
    /// The root without a trailing slash, e.g. `https://host:8080/v1`; nil when the URL is not
    /// an absolute http(s) URL.
    public static func root(of baseURL: URL, versionSuffixes: [String], defaultVersion: String) -> String? {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        components.query = nil
        components.fragment = nil
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        if !versionSuffixes.contains(where: { path.hasSuffix($0) }) {
            path += defaultVersion
        }
        components.path = path
        return components.string
    }
}

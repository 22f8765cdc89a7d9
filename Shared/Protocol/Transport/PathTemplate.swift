import Foundation

/// A parsed path template: literal segments and `{name}` parameters.
struct PathTemplate: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]

    init(_ template: String) {
        segments = template.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part.hasPrefix("{"), part.hasSuffix("}") {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    /// The one path a template without parameters fits (`/a/b`), or nil for a template with a
    /// parameter (or none at all: `/` fits no request path, see `segments(of:)`).
    var literalPath: String? {
        guard !segments.isEmpty else { return nil }
        var path = ""
        for segment in segments {
            guard case .literal(let text) = segment else { return nil }
            path += "/" + text
        }
        return path
    }

    /// The segments of a concrete request path, without its query string. Empty segments are
    /// kept (`/a//b`, a trailing `/`) so such paths match nothing; `nil` for a path that does not
    /// start with `/`.
    static func segments(of path: String) -> [Substring]? {
        var path = Substring(path)
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            path = path[..<query]
        }
        guard path.first == "/" else { return nil }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    }

    /// The parameters (percent-decoded) when `pathSegments` fit the template.
    func match(_ pathSegments: [Substring]?) -> [String: String]? {
        guard let pathSegments, pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, actual) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let text):
                guard actual == text else { return nil }
            case .parameter(let name):
                guard !actual.isEmpty else { return nil }
                let raw = String(actual)
                let decoded = raw.removingPercentEncoding ?? raw
                guard !decoded.isEmpty else { return nil }
                parameters[name] = decoded
            }
        }
        return parameters
    }

    /// Orders templates so that a literal segment beats a parameter at the first place they
    /// differ: `/memories/search` is preferred to `/memories/{id}` for the path `/memories/search`.
    func isMoreSpecific(than other: PathTemplate) -> Bool {
        for (mine, theirs) in zip(segments, other.segments) {
            switch (mine, theirs) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }
}

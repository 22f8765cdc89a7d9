public import HTTPTypes

/// The (method, path template) pairs a service serves, used to answer a known path with the
/// wrong method as 405 with `Allow` (Hummingbird's router answers 404 for both).
public struct RouteCatalog: Sendable {
    struct Entry: Sendable {
        let method: HTTPRequest.Method
        let segments: [Substring]
    }

    private var entries: [Entry] = []

    public init() {}

    /// Registers a template such as `/api/v1/documents/{id}` (any `{…}` or `:name` segment matches one segment).
    public mutating func add(_ method: HTTPRequest.Method, _ template: String) {
        entries.append(Entry(method: method, segments: template.split(separator: "/")))
    }

    public func allowedMethods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        var methods: [HTTPRequest.Method] = []
        for entry in entries where entry.segments.count == segments.count {
            let matches = zip(entry.segments, segments).allSatisfy { template, actual in
                template.hasPrefix("{") || template.hasPrefix(":") || template == actual
            }
            if matches, !methods.contains(entry.method) { methods.append(entry.method) }
        }
        return methods
    }
}

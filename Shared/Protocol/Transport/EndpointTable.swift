/// A set of endpoints that can be searched by concrete request path and method.
///
/// Templates are parsed once at construction. When several templates fit a path, the one with
/// a literal segment where the others have a parameter wins (`POST /api/v1/memories/search`
/// is the search, not a memory called "search").
public struct EndpointTable: Sendable {
    private struct Route: Sendable {
        let endpoint: Endpoint
        let template: PathTemplate
    }

    public let endpoints: [Endpoint]
    private let routesBySegmentCount: [Int: [Route]]
    /// The endpoints whose template has no parameter, by path: the hot ones (list, create,
    /// search, context) are found with one lookup instead of splitting the path and trying every
    /// template of its length (about 2 % of the gateway's CPU per proxied request). Such a
    /// template is the most specific of any that fit its path, so the answer is the same.
    private let literalRoutes: [String: [Endpoint]]

    public init(_ endpoints: [Endpoint]) {
        self.endpoints = endpoints
        var routes: [Int: [Route]] = [:]
        var literals: [String: [Endpoint]] = [:]
        for endpoint in endpoints {
            let template = PathTemplate(endpoint.path)
            routes[template.segments.count, default: []].append(Route(endpoint: endpoint, template: template))
            if let path = template.literalPath { literals[path, default: []].append(endpoint) }
        }
        routesBySegmentCount = routes
        literalRoutes = literals
    }

    /// The endpoint serving `method` on `path` (a concrete path; a query string is ignored).
    public func match(method: HTTPMethodName, path: String) -> EndpointMatch {
        if let endpoint = literalRoutes[path]?.first(where: { $0.method == method }) {
            return .matched(endpoint, parameters: [:])
        }
        let candidates = self.candidates(for: path)
        guard !candidates.isEmpty else { return .notFound }
        if let best = mostSpecific(candidates.filter { $0.route.endpoint.method == method }) {
            return .matched(best.route.endpoint, parameters: best.parameters)
        }
        return .methodNotAllowed(allowed: Set(candidates.map(\.route.endpoint.method)).sorted())
    }

    /// Like `match(method:path:)` for a method as received on the wire; a method the API never
    /// uses (`HEAD`, `OPTIONS`, lower case) on a known path is `methodNotAllowed`.
    public func match(methodName: String, path: String) -> EndpointMatch {
        if let method = HTTPMethodName(rawValue: methodName) {
            return match(method: method, path: path)
        }
        let candidates = self.candidates(for: path)
        guard !candidates.isEmpty else { return .notFound }
        return .methodNotAllowed(allowed: Set(candidates.map(\.route.endpoint.method)).sorted())
    }

    /// The service that owns `path` whatever the method, or nil when no endpoint has that path.
    public func owner(ofPath path: String) -> ServiceName? {
        mostSpecific(candidates(for: path))?.route.endpoint.service
    }

    private func candidates(for path: String) -> [(route: Route, parameters: [String: String])] {
        guard let segments = PathTemplate.segments(of: path),
            let routes = routesBySegmentCount[segments.count]
        else { return [] }
        return routes.compactMap { route in
            route.template.match(segments).map { (route, $0) }
        }
    }

    private func mostSpecific(
        _ candidates: [(route: Route, parameters: [String: String])]
    ) -> (route: Route, parameters: [String: String])? {
        candidates.reduce(nil) { best, candidate in
            guard let best else { return candidate }
            return candidate.route.template.isMoreSpecific(than: best.route.template) ? candidate : best
        }
    }
}

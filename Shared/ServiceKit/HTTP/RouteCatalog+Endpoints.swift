public import ApexProtocol
import HTTPTypes

extension RouteCatalog {
    /// The public endpoints `service` owns (from `APIEndpoints`), plus the health endpoints and
    /// the internal ones every backend serves.
    public init(serving service: ServiceName) {
        self.init()
        for endpoint in APIEndpoints.all where endpoint.service == service {
            add(HTTPRequest.Method(endpoint.method.rawValue)!, endpoint.path)
        }
        for path in ["/liveness", "/readiness", "/metrics"] { add(.get, path) }
        add(.post, "/internal/retention")
    }
}

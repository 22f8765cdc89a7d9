import ApexProtocol
import Hummingbird
import ServiceKit

/// `GET /openapi.json`: the document is built once at start.
struct OpenAPIController: Sendable {
    let document = OpenAPIDocument.make()

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        let document = self.document
        routes.get("/openapi.json") { _, _ in document }
        return routes
    }
}

import ApexProtocol
import Hummingbird
import ServiceKit

/// `POST /internal/retention`: rag keeps documents until their owner deletes them, so there is
/// nothing to expire; the endpoint exists so the scheduler's sweep treats every service alike.
struct RetentionController: Sendable {
    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/internal/retention") { _, _ in
            RetentionResponse(deleted: ["documents": 0, "document_chunks": 0])
        }
        return routes
    }
}

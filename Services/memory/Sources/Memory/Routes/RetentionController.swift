import ApexProtocol
import Hummingbird
import ServiceKit

/// `POST /internal/retention` (system identity only, enforced by the identity middleware).
struct RetentionController: Sendable {
    let store: any RetentionStore
    let policy: RetentionPolicy

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/internal/retention", use: sweep)
        return routes
    }

    @Sendable func sweep(_ request: Request, context: ApexRequestContext) async throws -> RetentionResponse {
        let deleted = try await store.sweep(policy)
        context.logger.info("retention sweep", metadata: ["deleted": "\(deleted)"])
        return RetentionResponse(deleted: deleted)
    }
}

import ApexProtocol
import Hummingbird
import ServiceKit

/// `GET /api/v1/me`: who the gateway thinks you are.
struct MeController: Sendable {
    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.get("/api/v1/me") { _, context -> MeResponse in
            guard let user = context.authenticatedUser else { throw APIError(.unauthenticated, "not authenticated") }
            return MeResponse(userID: user.id, email: user.email, auth: user.method == .firebase ? .firebase : .disabled)
        }
        return routes
    }
}

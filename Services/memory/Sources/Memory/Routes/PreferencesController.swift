import ApexProtocol
import Hummingbird
import ServiceKit

/// `/api/v1/preferences`: all hubs, one hub, and RFC 7396 merge patches of one hub.
struct PreferencesController: Sendable {
    let store: any PreferenceStore

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.get("/api/v1/preferences", use: all)
        routes.get("/api/v1/preferences/:hub", use: hub)
        routes.patch("/api/v1/preferences/:hub", use: patch)
        return routes
    }

    @Sendable func all(_ request: Request, context: ApexRequestContext) async throws -> PreferencesResponse {
        try await store.all(userID: try context.userID())
    }

    @Sendable func hub(_ request: Request, context: ApexRequestContext) async throws -> JSONDocument {
        let userID = try context.userID()
        return try await store.hub(try Self.hub(context), userID: userID)
    }

    /// The body is the merge patch itself (`application/merge-patch+json` or
    /// `application/json`). It must be an object: a hub is always an object, and RFC 7396 would
    /// replace the whole hub with a non-object patch.
    @Sendable func patch(_ request: Request, context: ApexRequestContext) async throws -> JSONDocument {
        let userID = try context.userID()
        let hub = try Self.hub(context)
        guard case .object(let patch) = try await request.decode(as: JSONValue.self, context: context) else {
            throw APIError.invalid("body", "must be a JSON object (an RFC 7396 merge patch)")
        }
        return try await store.merge(patch, into: hub, userID: userID)
    }

    /// An unknown hub is a resource that does not exist: 404.
    private static func hub(_ context: ApexRequestContext) throws -> PreferenceHub {
        guard let hub = context.parameters.get("hub").flatMap(PreferenceHub.init(rawValue:)) else {
            throw APIError.notFound("preference hub")
        }
        return hub
    }
}

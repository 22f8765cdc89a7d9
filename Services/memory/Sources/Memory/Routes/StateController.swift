import ApexProtocol
import Hummingbird
import ServiceKit

/// `/api/v1/state/{key}`: per-user JSON values.
struct StateController: Sendable {
    let store: any StateStore

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.get("/api/v1/state/:key", use: get)
        routes.put("/api/v1/state/:key", use: put)
        routes.delete("/api/v1/state/:key", use: delete)
        return routes
    }

    @Sendable func get(_ request: Request, context: ApexRequestContext) async throws -> StateEntry {
        let userID = try context.userID()
        guard let entry = try await store.get(key: try Self.key(context), userID: userID) else { throw APIError.notFound("state key") }
        return entry
    }

    @Sendable func put(_ request: Request, context: ApexRequestContext) async throws -> StateEntry {
        let userID = try context.userID()
        let key = try Self.key(context)
        let body = try await request.decode(as: PutStateRequest.self, context: context)
        return try await store.put(key: key, value: body.value, userID: userID)
    }

    @Sendable func delete(_ request: Request, context: ApexRequestContext) async throws -> Response {
        let userID = try context.userID()
        guard try await store.delete(key: try Self.key(context), userID: userID) else { throw APIError.notFound("state key") }
        return Response(status: .noContent)
    }

    /// Keys must match `[A-Za-z0-9_.:-]{1,128}` (400 naming `key`).
    private static func key(_ context: ApexRequestContext) throws -> String {
        let key = context.parameters.get("key") ?? ""
        let errors = StateEntry.validateKey(key)
        guard errors.isEmpty else { throw APIError.invalid(errors) }
        return key
    }
}

import ApexProtocol
import Hummingbird
import ServiceKit

/// `/api/v1/sessions`: agent runs, with validated status transitions.
struct SessionsController: Sendable {
    let store: any SessionStore

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/api/v1/sessions", use: create)
        routes.get("/api/v1/sessions", use: list)
        routes.get("/api/v1/sessions/:id", use: get)
        routes.patch("/api/v1/sessions/:id", use: update)
        routes.delete("/api/v1/sessions/:id", use: delete)
        return routes
    }

    @Sendable func create(_ request: Request, context: ApexRequestContext) async throws -> EditedResponse<Session> {
        let userID = try context.userID()
        let body = try await request.decode(as: CreateSessionRequest.self, context: context)
        let id = body.id ?? UUIDv7.string()
        guard let session = try await store.create(body, id: id, userID: userID) else {
            throw APIError(.conflict, "a session with id \(id) already exists")
        }
        return EditedResponse(status: .created, response: session)
    }

    @Sendable func list(_ request: Request, context: ApexRequestContext) async throws -> Page<Session> {
        let userID = try context.userID()
        let (limit, cursor) = try request.listQuery(for: PostgresSessionStore.list)
        let status: SessionStatus?
        switch ListQuery.parseFilter(request.filter("status"), as: SessionStatus.self, field: "status") {
        case .success(let value): status = value
        case .failure(let error): throw APIError.invalid([error])
        }
        return try await store.list(userID: userID, status: status, limit: limit, after: cursor)
    }

    @Sendable func get(_ request: Request, context: ApexRequestContext) async throws -> Session {
        let userID = try context.userID()
        guard let session = try await store.get(id: try Self.id(context), userID: userID) else {
            throw APIError.notFound("session")
        }
        return session
    }

    @Sendable func update(_ request: Request, context: ApexRequestContext) async throws -> Session {
        let userID = try context.userID()
        let body = try await request.decode(as: UpdateSessionRequest.self, context: context)
        if let cost = body.cost.value, cost < 0 {
            throw APIError.invalid("cost", "must be at least 0")
        }
        switch try await store.update(id: try Self.id(context), userID: userID, changes: body) {
        case .updated(let session):
            return session
        case .notFound:
            throw APIError.notFound("session")
        case .conflict(let conflict):
            throw APIError(
                .conflict,
                "the session is \(conflict.current.rawValue); a finished session's status cannot change to \(conflict.requested.rawValue)")
        }
    }

    @Sendable func delete(_ request: Request, context: ApexRequestContext) async throws -> Response {
        let userID = try context.userID()
        guard try await store.delete(id: try Self.id(context), userID: userID) else { throw APIError.notFound("session") }
        return Response(status: .noContent)
    }

    /// An id outside `[A-Za-z0-9_.:-]{1,128}` cannot name a session: 404.
    private static func id(_ context: ApexRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), TokenPattern.clientID.matches(id) else {
            throw APIError.notFound("session")
        }
        return id
    }
}

import ApexProtocol
import Foundation
import Hummingbird
import ServiceKit

/// `/api/v1/inbox…`: the caller's notifications.
struct InboxController: Sendable {
    let store: any InboxStore

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.get("/api/v1/inbox", use: list)
        routes.get("/api/v1/inbox/unread_count", use: unreadCount)
        routes.post("/api/v1/inbox", use: create)
        routes.post("/api/v1/inbox/read_all", use: markAllRead)
        routes.post("/api/v1/inbox/:id/read", use: markRead)
        routes.delete("/api/v1/inbox/:id", use: delete)
        return routes
    }

    @Sendable func list(_ request: Request, context: ApexRequestContext) async throws -> Page<InboxNotification> {
        let userID = try context.userID()
        let page = try ListParameters(request)
        let unreadOnly = try ListParameters.filter(
            ListQuery.parseBoolFilter(request.uri.queryParameters.get("unread_only"), field: "unread_only"))
        return try await store.list(for: userID, unreadOnly: unreadOnly ?? false, limit: page.limit, after: page.cursor)
    }

    @Sendable func unreadCount(_ request: Request, context: ApexRequestContext) async throws -> UnreadCountResponse {
        UnreadCountResponse(unread: try await store.unreadCount(for: try context.userID()))
    }

    @Sendable func create(_ request: Request, context: ApexRequestContext) async throws -> EditedResponse<InboxNotification> {
        let userID = try context.userID()
        let body = try await request.decode(as: CreateNotificationRequest.self, context: context)
        return EditedResponse(status: .created, response: try await store.create(body, for: userID))
    }

    @Sendable func markRead(_ request: Request, context: ApexRequestContext) async throws -> InboxNotification {
        let userID = try context.userID()
        guard let notification = try await store.markRead(try context.resourceID("notification"), for: userID) else {
            throw APIError.notFound("notification")
        }
        return notification
    }

    @Sendable func markAllRead(_ request: Request, context: ApexRequestContext) async throws -> ReadAllResponse {
        ReadAllResponse(updated: try await store.markAllRead(for: try context.userID()))
    }

    @Sendable func delete(_ request: Request, context: ApexRequestContext) async throws -> Response {
        let userID = try context.userID()
        guard try await store.delete(try context.resourceID("notification"), for: userID) else {
            throw APIError.notFound("notification")
        }
        return Response(status: .noContent)
    }
}

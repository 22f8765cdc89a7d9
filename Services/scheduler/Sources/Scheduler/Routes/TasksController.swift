import ApexProtocol
import Foundation
import Hummingbird
import ServiceKit

/// `/api/v1/tasks…`: enqueue (idempotent by key) and read the caller's own tasks.
struct TasksController: Sendable {
    let store: any TaskStore
    let allowList: HTTPHostAllowList

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/api/v1/tasks", use: create)
        routes.get("/api/v1/tasks", use: list)
        routes.get("/api/v1/tasks/:id", use: get)
        return routes
    }

    /// 202 with the new task; 200 with the first task when the key was used before.
    @Sendable func create(_ request: Request, context: ApexRequestContext) async throws -> EditedResponse<BackgroundTask> {
        let userID = try context.userID()
        let body = try await request.decode(as: CreateTaskRequest.self, context: context)
        if let fault = JobDraftRules.actionFault(body.action, allowList: allowList) { throw APIError.invalid([fault]) }
        let (task, created) = try await store.enqueue(
            body.action, idempotencyKey: body.idempotencyKey, maxAttempts: body.resolvedMaxAttempts, for: userID)
        return EditedResponse(status: created ? .accepted : .ok, response: task)
    }

    @Sendable func list(_ request: Request, context: ApexRequestContext) async throws -> Page<BackgroundTask> {
        let userID = try context.userID()
        let page = try ListParameters(request)
        let status = try ListParameters.filter(
            ListQuery.parseFilter(request.uri.queryParameters.get("status"), as: TaskStatus.self, field: "status"))
        return try await store.list(for: userID, status: status, limit: page.limit, after: page.cursor)
    }

    @Sendable func get(_ request: Request, context: ApexRequestContext) async throws -> BackgroundTask {
        let userID = try context.userID()
        guard let task = try await store.task(try context.resourceID("task"), for: userID) else { throw APIError.notFound("task") }
        return task
    }
}

import ApexProtocol
import Foundation
import Hummingbird
import ServiceKit

/// `/api/v1/jobs…`: cron jobs, run-now and runs, always the caller's own.
struct JobsController: Sendable {
    let store: any JobStore
    let allowList: HTTPHostAllowList
    let jobMaxAttempts: Int
    let clock: @Sendable () -> Date

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/api/v1/jobs", use: create)
        routes.get("/api/v1/jobs", use: list)
        routes.get("/api/v1/jobs/:id", use: get)
        routes.patch("/api/v1/jobs/:id", use: update)
        routes.delete("/api/v1/jobs/:id", use: delete)
        routes.post("/api/v1/jobs/:id/run", use: runNow)
        routes.get("/api/v1/jobs/:id/runs", use: runs)
        return routes
    }

    @Sendable func create(_ request: Request, context: ApexRequestContext) async throws -> EditedResponse<Job> {
        let userID = try context.userID()
        let body = try await request.decode(as: CreateJobRequest.self, context: context)
        let draft = try JobDraftRules.draft(from: body, allowList: allowList, now: clock()).orInvalidRequest()
        return EditedResponse(status: .created, response: try await store.create(draft, for: userID))
    }

    @Sendable func list(_ request: Request, context: ApexRequestContext) async throws -> Page<Job> {
        let userID = try context.userID()
        let page = try ListParameters(request)
        return try await store.list(for: userID, limit: page.limit, after: page.cursor)
    }

    @Sendable func get(_ request: Request, context: ApexRequestContext) async throws -> Job {
        let userID = try context.userID()
        guard let job = try await store.job(try context.resourceID("job"), for: userID) else { throw APIError.notFound("job") }
        return job
    }

    @Sendable func update(_ request: Request, context: ApexRequestContext) async throws -> Job {
        let userID = try context.userID()
        let id = try context.resourceID("job")
        let patch = try await request.decode(as: UpdateJobRequest.self, context: context)
        let allowList = self.allowList
        let now = clock()
        let updated = try await store.update(id, for: userID) { job in
            try JobDraftRules.patched(job, with: patch, allowList: allowList, now: now).orInvalidRequest()
        }
        guard let updated else { throw APIError.notFound("job") }
        return updated
    }

    @Sendable func delete(_ request: Request, context: ApexRequestContext) async throws -> Response {
        let userID = try context.userID()
        guard try await store.delete(try context.resourceID("job"), for: userID) else { throw APIError.notFound("job") }
        return Response(status: .noContent)
    }

    /// Runs the job once now (enabled or not), as the slot "now, truncated to the second".
    @Sendable func runNow(_ request: Request, context: ApexRequestContext) async throws -> EditedResponse<JobRun> {
        let userID = try context.userID()
        let id = try context.resourceID("job")
        let slot = Date(timeIntervalSince1970: clock().timeIntervalSince1970.rounded(.down))
        guard let run = try await store.runNow(id, for: userID, slot: slot, maxAttempts: jobMaxAttempts) else {
            throw APIError.notFound("job")
        }
        return EditedResponse(status: .accepted, response: run)
    }

    @Sendable func runs(_ request: Request, context: ApexRequestContext) async throws -> Page<JobRun> {
        let userID = try context.userID()
        let id = try context.resourceID("job")
        let page = try ListParameters(request)
        guard let runs = try await store.runs(of: id, for: userID, limit: page.limit, after: page.cursor) else {
            throw APIError.notFound("job")
        }
        return runs
    }
}

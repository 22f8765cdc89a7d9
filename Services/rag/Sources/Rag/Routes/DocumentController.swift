import ApexProtocol
import Hummingbird
import ServiceKit

/// `/api/v1/documents…`: ingest, list, get, delete, chunks.
struct DocumentController: Sendable {
    let store: any DocumentStore
    let ingest: DocumentIngest

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/api/v1/documents") { request, context -> EditedResponse<Document> in
            let body = try await request.decode(as: CreateDocumentRequest.self, context: context)
            let document = try await ingest.ingest(body, userID: try context.userID())
            return EditedResponse(status: document.deduplicated ? .ok : .created, response: document)
        }
        routes.get("/api/v1/documents") { request, context -> Page<Document> in
            let (limit, cursor) = try request.listQuery()
            return try await store.documents(userID: try context.userID(), limit: limit, after: cursor)
        }
        routes.get("/api/v1/documents/{id}") { request, context -> Document in
            let id = try request.requiredParameter("id", context: context)
            guard let document = try await store.document(id: id, userID: try context.userID()) else { throw APIError.notFound("document") }
            return document
        }
        routes.delete("/api/v1/documents/{id}") { request, context -> Response in
            let id = try request.requiredParameter("id", context: context)
            guard try await store.deleteDocument(id: id, userID: try context.userID()) else { throw APIError.notFound("document") }
            return Response(status: .noContent)
        }
        routes.get("/api/v1/documents/{id}/chunks") { request, context -> Page<Chunk> in
            let id = try request.requiredParameter("id", context: context)
            let (limit, cursor) = try request.listQuery()
            guard let page = try await store.chunks(documentID: id, userID: try context.userID(), limit: limit, after: cursor) else {
                throw APIError.notFound("document")
            }
            return page
        }
        return routes
    }
}

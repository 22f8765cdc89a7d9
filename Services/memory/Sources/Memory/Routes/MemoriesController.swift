import ApexProtocol
import Embeddings
import Foundation
import Hummingbird
import SemanticSearch
import ServiceKit

/// `/api/v1/memories`: create (near-duplicates merge), list, get, patch, delete, search, scan.
struct MemoriesController: Sendable {
    let store: any MemoryStore
    let embedder: any Embedder
    let scanner: MemoryScanner
    /// `MEMORY_SEARCH_CANDIDATES`.
    let searchCandidates: Int
    /// `KEYWORD_MATCH_LIMIT`.
    let keywordMatchLimit: Int

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/api/v1/memories", use: create)
        routes.get("/api/v1/memories", use: list)
        routes.post("/api/v1/memories/search", use: search)
        routes.post("/api/v1/memories/scan", use: scan)
        routes.get("/api/v1/memories/:id", use: get)
        routes.patch("/api/v1/memories/:id", use: update)
        routes.delete("/api/v1/memories/:id", use: delete)
        return routes
    }

    @Sendable func create(_ request: Request, context: ApexRequestContext) async throws -> EditedResponse<Memory> {
        let userID = try context.userID()
        let body = try await request.decode(as: CreateMemoryRequest.self, context: context)
        let draft = MemoryDraft(
            text: body.text, category: body.resolvedCategory, source: body.resolvedSource, confidence: body.resolvedConfidence,
            metadata: body.metadata ?? [:], embedding: try await embed(body.text))
        let stored = try await store.create(draft, userID: userID)
        return EditedResponse(status: stored.created ? .created : .ok, response: stored.memory)
    }

    @Sendable func list(_ request: Request, context: ApexRequestContext) async throws -> Page<Memory> {
        let userID = try context.userID()
        let (limit, cursor) = try request.listQuery(for: PostgresMemoryStore.list)
        let category = request.filter("category")
        if let category, !TokenPattern.category.matches(category) {
            throw APIError.invalid("category", "must match \(TokenPattern.category)")
        }
        return try await store.list(userID: userID, category: category, limit: limit, after: cursor)
    }

    @Sendable func get(_ request: Request, context: ApexRequestContext) async throws -> Memory {
        let userID = try context.userID()
        guard let id = Self.memoryID(context), let memory = try await store.get(id: id, userID: userID) else {
            throw APIError.notFound("memory")
        }
        return memory
    }

    @Sendable func update(_ request: Request, context: ApexRequestContext) async throws -> Memory {
        let userID = try context.userID()
        let body = try await request.decode(as: UpdateMemoryRequest.self, context: context)
        guard let id = Self.memoryID(context) else { throw APIError.notFound("memory") }
        var changes = MemoryChanges(category: body.category, confidence: body.confidence, metadata: body.metadata)
        if let text = body.text {
            changes.text = (text, embedding: try await embed(text))
        }
        guard let memory = try await store.update(id: id, userID: userID, changes: changes) else {
            throw APIError.notFound("memory")
        }
        return memory
    }

    @Sendable func delete(_ request: Request, context: ApexRequestContext) async throws -> Response {
        let userID = try context.userID()
        guard let id = Self.memoryID(context), try await store.delete(id: id, userID: userID) else {
            throw APIError.notFound("memory")
        }
        return Response(status: .noContent)
    }

    @Sendable func search(_ request: Request, context: ApexRequestContext) async throws -> MemorySearchResponse {
        let userID = try context.userID()
        let body = try await request.decode(as: MemorySearchRequest.self, context: context)
        let search = MemorySearch(
            embedding: try await embed(body.query), keywords: KeywordQuery(body.query), limit: body.resolvedLimit,
            category: body.category, candidates: max(searchCandidates, body.resolvedLimit), keywordMatchLimit: keywordMatchLimit)
        let hits = try await store.search(search, userID: userID)
        return MemorySearchResponse(results: hits.map { MemoryHit(memory: $0.memory, score: $0.similarity) })
    }

    @Sendable func scan(_ request: Request, context: ApexRequestContext) async throws -> MemoryScanResponse {
        try await scanner.scan(userID: try context.userID())
    }

    private func embed(_ text: String) async throws -> [Float] {
        guard let vector = try await embedder.embed([text]).first else {
            throw EmbedderReturnedNoVector()
        }
        return vector
    }

    /// Memory ids are UUIDs; anything else names no memory (404, like another user's id).
    private static func memoryID(_ context: ApexRequestContext) -> UUID? {
        context.parameters.get("id").flatMap(UUID.init(uuidString:))
    }
}

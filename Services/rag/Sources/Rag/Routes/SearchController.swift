import ApexProtocol
import Embeddings
import Hummingbird
import SemanticSearch
import ServiceKit

/// `POST /api/v1/search`: embeds the query (unless keyword-only), makes the keyword text safe,
/// and runs the one-statement search.
struct SearchController: Sendable {
    let store: any DocumentStore
    let embedder: any Embedder

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/api/v1/search") { request, context -> SearchResponse in
            let body = try await request.decode(as: SearchRequest.self, context: context)
            let mode = body.resolvedMode
            let vector = mode == .keyword ? nil : try await embedder.embed([body.query]).first
            let search = ChunkSearch(
                mode: mode, vector: vector, keywords: KeywordQuery(body.query), limit: body.resolvedLimit,
                documentIDs: body.documentIDs)
            let hits = try await store.search(search, userID: try context.userID())
            return SearchResponse(query: body.query, mode: mode, results: hits)
        }
        return routes
    }
}

import ApexProtocol
public import Embeddings
import Foundation
public import Hummingbird
import SemanticSearch
public import ServiceKit

/// Builds apex-rag exactly as production and tests run it.
///
/// - Parameter embedder: overrides the configured embedder (tests inject failing or counting ones).
public func buildApplication(
    settings: RagSettings, runtime: ServiceRuntime, embedder: (any Embedder)? = nil
) async throws
    -> some ApplicationProtocol
{
    let core = ServiceCore(settings: settings.common, runtime: runtime)
    let embedder = try embedder ?? settings.embedder.makeEmbedder()
    let store = PostgresDocumentStore(database: core.database, logger: core.logger, tuning: .init(settings: settings))
    let ingest = DocumentIngest(store: store, embedder: embedder, chunker: settings.chunker, batchSize: settings.embedBatchSize)

    let router = core.makeRouter(routes: RouteCatalog(serving: .rag))
    router.addRoutes(DocumentController(store: store, ingest: ingest).endpoints)
    router.addRoutes(SearchController(store: store, embedder: embedder).endpoints)
    router.addRoutes(RetentionController().endpoints)

    // Only tenants above SEARCH_EXACT_MAX_CHUNKS are searched through HNSW, so only their chunks
    // are in the index (migration 0002_graph_tenants.sql).
    let column = VectorColumn(schema: RagSchema.name, table: "document_chunks", model: embedder.model, indexPredicate: "in_graph")
    let (schemaReady, schemaReadyContinuation) = AsyncStream<Void>.makeStream()
    let promoter = GraphPromoter(
        store: store, interval: settings.graphPromotionInterval, schemaReady: schemaReady, logger: core.logger)
    return try core.makeApplication(router: router, migrations: try RagSchema.migrations(), services: [promoter]) { [core] in
        try await column.prepare(on: core.database, logger: core.logger)
        await store.checkDatabaseFeatures()
        schemaReadyContinuation.finish()
    }
}

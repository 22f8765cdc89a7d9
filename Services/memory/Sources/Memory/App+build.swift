import ApexProtocol
import Embeddings
import Foundation
public import Hummingbird
public import ServiceKit

/// Builds apex-memory exactly as production and tests run it.
public func buildApplication(settings: MemorySettings, runtime: ServiceRuntime) async throws -> some ApplicationProtocol {
    let core = ServiceCore(settings: settings.common, runtime: runtime)
    let embedder = try settings.embedder.makeEmbedder()
    let database = core.database
    let logger = core.logger

    let memories = PostgresMemoryStore(database: database, logger: logger, dedupThreshold: settings.dedupThreshold)
    let scanner = MemoryScanner(
        store: PostgresScanStore(database: database, logger: logger, dedupThreshold: settings.dedupThreshold),
        extractor: MemoryExtractors.make(settings.scan), embedder: embedder, settings: settings.scan, logger: logger)

    let router = core.makeRouter(routes: RouteCatalog(serving: .memory))
    router.addRoutes(
        MemoriesController(
            store: memories, embedder: embedder, scanner: scanner, searchCandidates: settings.searchCandidates,
            keywordMatchLimit: settings.keywordMatchLimit
        ).endpoints)
    let preferences = PreferencePatchQueue(store: PostgresPreferenceStore(database: database, logger: logger))
    router.addRoutes(PreferencesController(store: preferences).endpoints)
    router.addRoutes(SessionsController(store: PostgresSessionStore(database: database, logger: logger)).endpoints)
    router.addRoutes(ChatsController(store: PostgresChatStore(database: database, logger: logger)).endpoints)
    router.addRoutes(StateController(store: PostgresStateStore(database: database, logger: logger)).endpoints)
    router.addRoutes(
        RetentionController(store: PostgresRetentionStore(database: database, logger: logger), policy: settings.retention).endpoints)

    let app = try core.makeApplication(router: router, migrations: try MemorySchema.migrations())
    let model = embedder.model
    logger.info(
        "memory service configured",
        metadata: [
            "embedder": "\(model.name)", "dimension": "\(model.dimension)", "extractor": "\(settings.scan.provider.rawValue)",
            "dedup_threshold": "\(settings.dedupThreshold)",
        ])
    // After the migrations (the base application's own step): the table must exist first.
    return ApplicationWithStartupSteps(
        base: app,
        steps: [
            { try await MemoryStartup.prepare(database: database, model: model, logger: logger) }
        ])
}

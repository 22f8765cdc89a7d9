import Logging
import ServiceLifecycle

/// Moves tenants that outgrew exact search into the HNSW graph, off the request path.
///
/// Every `GRAPH_PROMOTION_INTERVAL_SECONDS` it looks for tenants with more than
/// `SEARCH_EXACT_MAX_CHUNKS` chunks outside the graph and promotes them one at a time. A regular
/// round counts only the tenants this replica ingested for since the last one; at start (after
/// the embedding column is ready) and then every `fullScanInterval` it counts every chunk outside
/// the graph, which also catches what a replica that stopped early left behind. Until a tenant is
/// done it is searched exactly: slower for a large tenant, never wrong. Replicas may overlap; the
/// promotion is idempotent.
struct GraphPromoter: Service {
    let store: PostgresDocumentStore
    let interval: Duration
    /// Finishes when the schema and the embedding column are in place.
    let schemaReady: AsyncStream<Void>
    let logger: Logger
    var fullScanInterval: Duration = .seconds(3600)

    func run() async throws {
        // Ends early (without the schema) when the service shuts down first; the loop then stops.
        await cancelWhenGracefulShutdown {
            for await _ in schemaReady { break }
        }
        var lastFullScan: ContinuousClock.Instant?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if let last = lastFullScan, ContinuousClock.now - last < fullScanInterval {
                await promoteDueTenants(among: store.recentIngests.drain())
            } else {
                lastFullScan = .now
                _ = store.recentIngests.drain()
                await promoteDueTenants(among: nil)
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// One round: every tenant due among `candidates` (nil: all), in turn. Failures are logged;
    /// a failed tenant is looked at again in the next full round, or after its next ingest.
    func promoteDueTenants(among candidates: [String]?) async {
        let tenants: [String]
        do {
            tenants = try await store.tenantsDueForGraph(among: candidates)
        } catch {
            logger.warning("could not list tenants due for the HNSW graph", metadata: ["error": "\(String(reflecting: error))"])
            candidates?.forEach(store.recentIngests.record)
            return
        }
        for userID in tenants where !Task.isShuttingDownGracefully {
            let started = ContinuousClock.now
            do {
                let moved = try await store.promoteToGraph(userID)
                logger.info(
                    "tenant moved into the HNSW graph",
                    metadata: [
                        "user_id": "\(userID)", "chunks": "\(moved)",
                        "duration_ms": .stringConvertible(((ContinuousClock.now - started) / .milliseconds(1)).rounded()),
                    ])
            } catch {
                logger.warning(
                    "moving a tenant into the HNSW graph failed; retried next round",
                    metadata: ["user_id": "\(userID)", "error": "\(String(reflecting: error))"])
            }
        }
    }
}

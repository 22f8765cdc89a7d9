import ApexProtocol
import Foundation
import Hummingbird
import ServiceKit

/// `/internal/*`: the tick (Cloud Scheduler, or anyone holding the `system` identity) and the
/// scheduler's own retention sweep. The identity middleware admits only `sub = system` here.
struct InternalController: Sendable {
    let tick: TickEngine
    let retention: RetentionSweep
    let clock: @Sendable () -> Date

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/internal/tick", use: runTick)
        routes.post("/internal/retention", use: sweep)
        return routes
    }

    /// One scheduling pass; safe to call any number of times at once.
    @Sendable func runTick(_ request: Request, context: ApexRequestContext) async throws -> TickResponse {
        try await tick.tick(now: clock())
    }

    @Sendable func sweep(_ request: Request, context: ApexRequestContext) async throws -> RetentionResponse {
        try await retention.ownTables()
    }
}

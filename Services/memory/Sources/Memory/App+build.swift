public import Hummingbird
import ApexProtocol
import Foundation
public import ServiceKit

/// Builds apex-memory exactly as production and tests run it.
public func buildApplication(settings: MemorySettings, runtime: ServiceRuntime) async throws -> some ApplicationProtocol {
    let core = ServiceCore(settings: settings.common, runtime: runtime)
    let router = core.makeRouter(routes: RouteCatalog(serving: .memory))
    return try core.makeApplication(router: router, migrations: try MemorySchema.migrations())
}

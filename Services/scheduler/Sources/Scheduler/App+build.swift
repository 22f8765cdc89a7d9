public import Hummingbird
import ApexProtocol
import Foundation
public import ServiceKit

/// Builds apex-scheduler exactly as production and tests run it.
public func buildApplication(settings: SchedulerSettings, runtime: ServiceRuntime) async throws -> some ApplicationProtocol {
    let core = ServiceCore(settings: settings.common, runtime: runtime)
    let router = core.makeRouter(routes: RouteCatalog(serving: .scheduler))
    return try core.makeApplication(router: router, migrations: try SchedulerSchema.migrations())
}

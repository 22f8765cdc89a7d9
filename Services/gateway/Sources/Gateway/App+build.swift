public import Hummingbird
import ApexProtocol
import Foundation
public import ServiceKit

/// Builds apex-gateway exactly as production and tests run it.
public func buildApplication(settings: GatewaySettings, runtime: ServiceRuntime) async throws -> some ApplicationProtocol {
    let core = ServiceCore(settings: settings.common, runtime: runtime)
    let router = core.makeRouter(routes: RouteCatalog(serving: .gateway))
    return try core.makeApplication(router: router, migrations: try GatewaySchema.migrations())
}

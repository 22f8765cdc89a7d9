public import Hummingbird
import ApexProtocol
import Foundation
public import ServiceKit

/// Builds apex-rag exactly as production and tests run it.
public func buildApplication(settings: RagSettings, runtime: ServiceRuntime) async throws -> some ApplicationProtocol {
    let core = ServiceCore(settings: settings.common, runtime: runtime)
    let router = core.makeRouter(routes: RouteCatalog(serving: .rag))
    return try core.makeApplication(router: router, migrations: try RagSchema.migrations())
}

import Foundation
import HTTPTypes
public import ServiceKit

/// The `scheduler` schema, owned by apex-scheduler alone: its migrations ship as resources.
public enum SchedulerSchema {
    public static let name = "scheduler"

    public static func migrations() throws -> MigrationRunner {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the Migrations resource of apex-scheduler is missing"])
        }
        return try MigrationRunner(schema: name, migrations: try Migration.load(from: directory))
    }

    /// The (method, path) pairs apex-scheduler serves: its part of the API, the health endpoints,
    /// `/internal/retention` and `/internal/tick` (so a wrong method answers 405).
    static var routes: RouteCatalog {
        var catalog = RouteCatalog(serving: .scheduler)
        catalog.add(.post, "/internal/tick")
        return catalog
    }
}

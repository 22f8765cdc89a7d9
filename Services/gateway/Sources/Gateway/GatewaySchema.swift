import Foundation
public import ServiceKit

/// The `gateway` schema, owned by apex-gateway alone: its migrations ship as resources.
public enum GatewaySchema {
    public static let name = "gateway"

    public static func migrations() throws -> MigrationRunner {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the Migrations resource of apex-gateway is missing"])
        }
        return try MigrationRunner(schema: name, migrations: try Migration.load(from: directory))
    }
}

import Foundation
public import ServiceKit

/// The `memory` schema, owned by apex-memory alone: its migrations ship as resources.
public enum MemorySchema {
    public static let name = "memory"

    public static func migrations() throws -> MigrationRunner {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the Migrations resource of apex-memory is missing"])
        }
        return try MigrationRunner(schema: name, migrations: try Migration.load(from: directory))
    }
}

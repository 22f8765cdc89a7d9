import Foundation
public import ServiceKit

/// The `rag` schema, owned by apex-rag alone: its migrations ship as resources.
public enum RagSchema {
    public static let name = "rag"

    public static func migrations() throws -> MigrationRunner {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the Migrations resource of apex-rag is missing"])
        }
        return try MigrationRunner(schema: name, migrations: try Migration.load(from: directory))
    }
}

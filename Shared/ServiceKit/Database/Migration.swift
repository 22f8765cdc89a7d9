import Crypto
public import Foundation

/// One forward-only schema change: a `NNNN_name.sql` file shipped as a resource of its service.
public struct Migration: Sendable, Equatable {
    /// The file name, which orders migrations (`0001_init.sql`).
    public let name: String
    public let sql: String
    /// Lowercase hex sha-256 of the file; an applied migration whose file changed stops start-up.
    public let checksum: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Loads every `*.sql` file of `directory`, ordered by name.
    public static func load(from directory: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { Migration(name: $0.lastPathComponent, sql: try String(contentsOf: $0, encoding: .utf8)) }
    }
}

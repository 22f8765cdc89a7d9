import ApexProtocol

/// Per-user key → JSON value (any JSON, `null` included).
protocol StateStore: Sendable {
    func get(key: String, userID: String) async throws -> StateEntry?
    func put(key: String, value: JSONValue, userID: String) async throws -> StateEntry
    func delete(key: String, userID: String) async throws -> Bool
}

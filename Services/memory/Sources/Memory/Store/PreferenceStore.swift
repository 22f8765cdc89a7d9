import ApexProtocol

/// The three preference hubs of a user. A hub nobody wrote yet reads as `{}`.
protocol PreferenceStore: Sendable {
    func all(userID: String) async throws -> PreferencesResponse
    /// The hub's JSON object as stored (`{}` when never written).
    func hub(_ hub: PreferenceHub, userID: String) async throws -> JSONDocument
    /// Applies `patch` (RFC 7396) to the hub inside PostgreSQL and returns the merged hub.
    func merge(_ patch: JSONObject, into hub: PreferenceHub, userID: String) async throws -> JSONDocument
}

import ApexProtocol

/// Agent sessions of one user at a time, keyed by (user, id): the same id of another user is
/// another session, and another user's session reads as missing.
protocol SessionStore: Sendable {
    /// `nil` when this user already has a session with this id (409).
    func create(_ request: CreateSessionRequest, id: String, userID: String) async throws -> Session?
    /// Newest first; `status` filters when given.
    func list(userID: String, status: SessionStatus?, limit: Int, after cursor: PageCursor?) async throws -> Page<Session>
    func get(id: String, userID: String) async throws -> Session?
    func update(id: String, userID: String, changes: UpdateSessionRequest) async throws -> SessionUpdate
    func delete(id: String, userID: String) async throws -> Bool
}

/// What a session PATCH came to.
enum SessionUpdate: Sendable {
    case updated(Session)
    case notFound
    case conflict(SessionTransition.Conflict)
}

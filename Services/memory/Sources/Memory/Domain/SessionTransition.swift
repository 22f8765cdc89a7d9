import ApexProtocol

/// What a PATCH does to a session's status (API.md, "Sessions").
///
/// `running` may move to any status; leaving `running` finishes the session and sets
/// `completed_at`. A finished session's status is final: asking for the status it already has
/// is no change, asking for another one is a conflict.
enum SessionTransition: Equatable, Sendable {
    /// The status stays as it is.
    case unchanged
    /// `running` → `completed`, `failed` or `cancelled`: set the status and `completed_at`.
    case finish(SessionStatus)

    /// Refused: a finished session was asked to change status.
    struct Conflict: Error, Equatable {
        let current: SessionStatus
        let requested: SessionStatus
    }

    static func resolve(from current: SessionStatus, to requested: SessionStatus?) -> Result<SessionTransition, Conflict> {
        guard let requested, requested != current else { return .success(.unchanged) }
        guard current == .running else { return .failure(Conflict(current: current, requested: requested)) }
        // running → a finished status (running → running was handled above).
        return .success(.finish(requested))
    }
}

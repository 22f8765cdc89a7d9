/// Where an agent run stands. `running` is the only unfinished state; a finished session's
/// status never changes again (409).
public enum SessionStatus: String, ContractEnum {
    case running
    case completed
    case failed
    case cancelled

    /// `completed`, `failed` or `cancelled`: `completed_at` is set and the status is frozen.
    public var isFinished: Bool {
        self != .running
    }
}

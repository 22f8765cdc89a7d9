/// Where a background task stands. `failed` means the last attempt failed and another is
/// scheduled at `run_at`; `dead` means no attempt is left.
public enum TaskStatus: String, ContractEnum {
    case queued
    case running
    case succeeded
    case failed
    case dead

    /// `succeeded` or `dead`: the task will not run again.
    public var isTerminal: Bool {
        self == .succeeded || self == .dead
    }
}

/// The outcome of one scheduled slot. `skipped` records a slot that came due while the job's
/// previous run was still going.
public enum JobRunStatus: String, ContractEnum {
    case running
    case completed
    case failed
    case skipped

    public var isFinished: Bool {
        self != .running
    }
}

/// How a worker pool runs: from the settings, plus what tests and benchmarks vary.
public struct TaskWorkerOptions: Sendable {
    /// Concurrent attempts (`TASK_WORKERS`).
    public var workers: Int
    /// `TASK_LEASE_SECONDS`.
    public var lease: Duration
    /// `notify` tasks leased and finished together (`TASK_BATCH_SIZE`).
    public var batchSize: Int
    /// Idle wait between looks at the queue (`TASK_POLL_INTERVAL_MS`).
    public var pollInterval: Duration
    /// Base 2 s, doubling, full jitter, cap 10 min (the contract's schedule).
    public var backoff: RetryBackoff
    /// How long running attempts may go on after graceful shutdown began before they are
    /// interrupted and their leases given back.
    public var gracePeriod: Duration
    public var scope: WorkScope

    public init(
        workers: Int, lease: Duration, batchSize: Int, pollInterval: Duration,
        backoff: RetryBackoff = .standard, gracePeriod: Duration, scope: WorkScope = .allUsers
    ) {
        self.workers = workers
        self.lease = lease
        self.batchSize = batchSize
        self.pollInterval = pollInterval
        self.backoff = backoff
        self.gracePeriod = gracePeriod
        self.scope = scope
    }

    /// Leases are extended three times per lease period, so one slow heartbeat does not lose one.
    var extendEvery: Duration { lease / 3 }
    /// Expired leases are looked for twice per lease period (at least every 30 s).
    var reclaimEvery: Duration { min(max(lease / 2, .milliseconds(100)), .seconds(30)) }
}

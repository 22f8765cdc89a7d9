public import Foundation
public import ServiceKit

/// The settings of apex-scheduler: the common ones (see README's configuration table) and its own.
///
/// Every variable is read once here; a malformed value stops start-up with a `ConfigurationError`
/// naming it.
public struct SchedulerSettings: ServiceConfiguration {
    public var common: ServiceSettings

    /// `TICK_INTERVAL_SECONDS` (default 10): how often the in-process ticker runs a scheduling
    /// pass; `nil` (0) turns it off, for deployments where Cloud Scheduler calls `/internal/tick`.
    public var tickInterval: Duration?
    /// `TICK_BATCH_SIZE` (default 500): due jobs one tick transaction claims at most; a tick loops
    /// over batches until nothing is due.
    public var tickBatchSize: Int
    /// `TASK_WORKERS` (default 4): concurrent task attempts of this process; 0 runs no workers.
    public var taskWorkers: Int
    /// `TASK_LEASE_SECONDS` (default 60): how long a leased task stays with its worker unless the
    /// worker extends it (it does, every third of the lease, while the attempt runs).
    public var taskLease: Duration
    /// `TASK_BATCH_SIZE` (default 32): `notify` tasks one worker leases and finishes together.
    public var taskBatchSize: Int
    /// `TASK_POLL_INTERVAL_MS` (default 250): how long an idle worker waits before looking again.
    public var taskPollInterval: Duration
    /// `JOB_MAX_ATTEMPTS` (default 3): attempts of the task behind one job run.
    public var jobMaxAttempts: Int
    /// `JOB_HTTP_ALLOWED_HOSTS`: hosts `http` actions may call (exact, case-insensitive).
    public var httpAllowedHosts: HTTPHostAllowList
    /// `JOB_HTTP_TIMEOUT_MS` (default 10000): the whole of one `http` call.
    public var httpTimeout: Duration
    /// `JOB_HTTP_MAX_RESPONSE_BYTES` (default 1 MiB): a larger answer fails the attempt.
    public var httpMaxResponseBytes: Int
    /// `MEMORY_URL`: apex-memory, for `memory_scan` actions and retention sweeps.
    public var memoryURL: URL?
    /// `RAG_URL`: apex-rag, for retention sweeps.
    public var ragURL: URL?
    /// `GATEWAY_URL`: apex-gateway, for retention sweeps.
    public var gatewayURL: URL?
    /// `MEMORY_SCAN_TIMEOUT_MS` (default 60000): one call to memory's scan.
    public var memoryScanTimeout: Duration
    /// `AGENT_RUNNER_URL`: where `agent` actions are POSTed; unset makes them fail saying so.
    public var agentRunnerURL: URL?
    /// `AGENT_RUNNER_TIMEOUT_MS` (default 30000): one call to the agent runner.
    public var agentRunnerTimeout: Duration
    /// `RETENTION_INTERVAL_SECONDS` (default 86400): how often the built-in sweep runs across all
    /// replicas together; `nil` (0) turns it off.
    public var retentionInterval: Duration?
    /// `JOB_RUN_RETENTION_DAYS` (default 90).
    public var jobRunRetentionDays: Int
    /// `TASK_RETENTION_DAYS` (default 30): finished (`succeeded`, `dead`) tasks older than this go.
    public var taskRetentionDays: Int
    /// `TICK_OIDC_AUDIENCE` and `TICK_OIDC_SERVICE_ACCOUNT` (both or neither): `/internal/tick`
    /// also accepts a Google-signed OIDC ID token with this audience and this service account's
    /// email, which is how Cloud Scheduler calls it. `TICK_OIDC_JWKS_URL` (default Google's
    /// certificates) or `TICK_OIDC_JWKS_FILE` say where the signing keys come from.
    public var tickOIDC: CloudSchedulerTokenPolicy?

    public init(environment env: EnvironmentReader) throws(ConfigurationError) {
        let common = try ServiceSettings(service: .scheduler, environment: env, defaultPort: 8080)
        self.init(common: common)
        let tickSeconds = try env.int("TICK_INTERVAL_SECONDS", default: 10, range: 0...86_400)
        tickInterval = tickSeconds == 0 ? nil : .seconds(tickSeconds)
        tickBatchSize = try env.int("TICK_BATCH_SIZE", default: 500, range: 1...10_000)
        taskWorkers = try env.int("TASK_WORKERS", default: 4, range: 0...256)
        taskLease = .seconds(try env.int("TASK_LEASE_SECONDS", default: 60, range: 1...86_400))
        taskBatchSize = try env.int("TASK_BATCH_SIZE", default: 32, range: 1...1_000)
        taskPollInterval = try env.milliseconds("TASK_POLL_INTERVAL_MS", default: .milliseconds(250), range: 10...60_000)
        jobMaxAttempts = try env.int("JOB_MAX_ATTEMPTS", default: 3, range: 1...25)
        httpAllowedHosts = try HTTPHostAllowList(variable: "JOB_HTTP_ALLOWED_HOSTS", value: env.string("JOB_HTTP_ALLOWED_HOSTS"))
        httpTimeout = try env.milliseconds("JOB_HTTP_TIMEOUT_MS", default: .seconds(10), range: 100...600_000)
        httpMaxResponseBytes = try env.int("JOB_HTTP_MAX_RESPONSE_BYTES", default: 1 << 20, range: 1...(64 << 20))
        memoryURL = try env.httpURL("MEMORY_URL")
        ragURL = try env.httpURL("RAG_URL")
        gatewayURL = try env.httpURL("GATEWAY_URL")
        memoryScanTimeout = try env.milliseconds("MEMORY_SCAN_TIMEOUT_MS", default: .seconds(60), range: 100...600_000)
        agentRunnerURL = try env.httpURL("AGENT_RUNNER_URL")
        agentRunnerTimeout = try env.milliseconds("AGENT_RUNNER_TIMEOUT_MS", default: .seconds(30), range: 100...600_000)
        let retentionSeconds = try env.int("RETENTION_INTERVAL_SECONDS", default: 86_400, range: 0...(366 * 86_400))
        retentionInterval = retentionSeconds == 0 ? nil : .seconds(retentionSeconds)
        jobRunRetentionDays = try env.int("JOB_RUN_RETENTION_DAYS", default: 90, range: 1...36_500)
        taskRetentionDays = try env.int("TASK_RETENTION_DAYS", default: 30, range: 1...36_500)
        switch (env.string("TICK_OIDC_AUDIENCE"), env.string("TICK_OIDC_SERVICE_ACCOUNT")) {
        case (nil, nil): tickOIDC = nil
        case (let audience?, let account?):
            let keys: CloudSchedulerTokenPolicy.KeySource =
                if let file = env.string("TICK_OIDC_JWKS_FILE") { .file(file) } else {
                    .url(try env.httpURL("TICK_OIDC_JWKS_URL") ?? CloudSchedulerTokenPolicy.googleCertificates)
                }
            tickOIDC = CloudSchedulerTokenPolicy(audience: audience, serviceAccount: account, keys: keys)
        case (nil, _): throw ConfigurationError("TICK_OIDC_AUDIENCE", "is required when TICK_OIDC_SERVICE_ACCOUNT is set")
        case (_, nil): throw ConfigurationError("TICK_OIDC_SERVICE_ACCOUNT", "is required when TICK_OIDC_AUDIENCE is set")
        }
    }

    /// The common settings with every scheduler default (no upstreams, no allowed hosts).
    public init(common: ServiceSettings) {
        self.common = common
        tickInterval = .seconds(10)
        tickBatchSize = 500
        taskWorkers = 4
        taskLease = .seconds(60)
        taskBatchSize = 32
        taskPollInterval = .milliseconds(250)
        jobMaxAttempts = 3
        httpAllowedHosts = HTTPHostAllowList(hosts: [])
        httpTimeout = .seconds(10)
        httpMaxResponseBytes = 1 << 20
        memoryURL = nil
        ragURL = nil
        gatewayURL = nil
        memoryScanTimeout = .seconds(60)
        agentRunnerURL = nil
        agentRunnerTimeout = .seconds(30)
        retentionInterval = .seconds(86_400)
        jobRunRetentionDays = 90
        taskRetentionDays = 30
        tickOIDC = nil
    }
}

import ApexProtocol
import Foundation
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle

/// Everything apex-scheduler is made of, wired once from its settings: stores, outbound clients,
/// the tick engine, the worker pool and the retention sweep, their routes and their services.
///
/// `buildApplication` builds it with production's defaults; tests build it with a `WorkScope`
/// (their own users only) and a clock of their own.
struct SchedulerComponents: Sendable {
    let jobs: PostgresJobStore
    let tasks: PostgresTaskStore
    let inbox: PostgresInboxStore
    let queue: PostgresTaskQueue
    let tickEngine: TickEngine
    let retention: RetentionSweep
    let retentionStore: PostgresRetentionStore
    let clients: OutboundClients
    let workers: TaskWorkerPool
    let gate: SchemaGate
    let settings: SchedulerSettings
    let clock: @Sendable () -> Date
    let logger: Logger

    init(
        settings: SchedulerSettings, core: ServiceCore, migrationNames: [String],
        scope: WorkScope = .allUsers, backoff: RetryBackoff = .standard,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        let database = core.database
        let logger = core.logger
        self.settings = settings
        self.clock = clock
        self.logger = logger
        jobs = PostgresJobStore(database: database, logger: logger)
        tasks = PostgresTaskStore(database: database, logger: logger)
        inbox = PostgresInboxStore(database: database, logger: logger)
        queue = PostgresTaskQueue(database: database, logger: logger)
        retentionStore = PostgresRetentionStore(database: database, logger: logger)
        gate = SchemaGate(database: database, migrations: migrationNames, logger: logger)
        tickEngine = TickEngine(
            store: PostgresTickStore(database: database, logger: logger), batchSize: settings.tickBatchSize,
            maxAttempts: settings.jobMaxAttempts, scope: scope, logger: logger, metrics: core.metrics)
        clients = try OutboundClients(settings: settings, identity: core.identity, eventLoopGroup: core.runtime.eventLoopGroup)
        retention = RetentionSweep(
            store: retentionStore, jobRunDays: settings.jobRunRetentionDays, taskDays: settings.taskRetentionDays,
            targets: clients.retentionTargets, logger: logger)
        let bounded = BoundedHTTPCall(client: clients.http, timeout: settings.httpTimeout, maxResponseBytes: settings.httpMaxResponseBytes)
        let runner = ActionRunner(
            http: HTTPActionCaller(
                client: clients.http, allowList: settings.httpAllowedHosts, timeout: settings.httpTimeout,
                maxResponseBytes: settings.httpMaxResponseBytes),
            memory: MemoryScanCaller(client: clients.memory, timeout: settings.memoryScanTimeout),
            agent: AgentRunnerCaller(
                call: BoundedHTTPCall(
                    client: bounded.client, timeout: settings.agentRunnerTimeout, maxResponseBytes: settings.httpMaxResponseBytes),
                url: settings.agentRunnerURL))
        let grace = max(settings.common.shutdownGracePeriod * 3 / 4, .milliseconds(100))
        workers = TaskWorkerPool(
            queue: queue, runner: runner,
            options: TaskWorkerOptions(
                workers: settings.taskWorkers, lease: settings.taskLease, batchSize: settings.taskBatchSize,
                pollInterval: settings.taskPollInterval, backoff: backoff, gracePeriod: grace, scope: scope),
            gate: gate, metrics: core.metrics, logger: logger)
    }

    /// Every route of the service.
    func addRoutes(to router: Router<ApexRequestContext>) {
        router.addRoutes(
            JobsController(store: jobs, allowList: settings.httpAllowedHosts, jobMaxAttempts: settings.jobMaxAttempts, clock: clock)
                .endpoints)
        router.addRoutes(TasksController(store: tasks, allowList: settings.httpAllowedHosts).endpoints)
        router.addRoutes(InboxController(store: inbox).endpoints)
        router.addRoutes(InternalController(tick: tickEngine, retention: retention, clock: clock).endpoints)
    }

    /// The background services, in start order; they stop in reverse, so the workers finish
    /// (and release leases) before the outbound clients close, and all before the database pool.
    var services: [any Service] {
        // Closes the outbound clients once everything listed after it has stopped.
        let clients = self.clients
        var services: [any Service] = [ShutdownHook { await clients.shutdown() }]
        if let interval = settings.tickInterval {
            services.append(Ticker(engine: tickEngine, interval: interval, gate: gate, clock: clock, logger: logger))
        }
        if let interval = settings.retentionInterval {
            services.append(RetentionSweeper(sweep: retention, store: retentionStore, interval: interval, gate: gate, logger: logger))
        }
        if settings.taskWorkers > 0 { services.append(workers) }
        return services
    }
}

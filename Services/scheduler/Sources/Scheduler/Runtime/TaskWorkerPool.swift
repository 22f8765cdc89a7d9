import ApexProtocol
import Foundation
import Logging
import ServiceKit
import ServiceLifecycle
import Synchronization

/// The task workers of one process: `workers` loops leasing and running attempts, and one loop
/// that extends the leases of running attempts and reclaims expired ones.
///
/// Graceful shutdown: no new leases; running attempts get `gracePeriod` to finish and record;
/// whatever is still running then is interrupted and its lease given back (the task is due again
/// at once, and the interrupted attempt does not count). Cancellation (a crash, or a test killing
/// the pool) records nothing and releases nothing: the leases expire and another worker reclaims
/// the tasks.
final class TaskWorkerPool: Service, Sendable {
    let queue: any TaskQueue
    let runner: ActionRunner
    let options: TaskWorkerOptions
    let gate: SchemaGate?
    let logger: Logger
    let outcomes: TaskOutcomeCounters
    private let state = Mutex(PoolState())

    struct PoolState {
        var stopping = false
        var interrupted = false
        var activeWorkers = 0
        var held: [UUID: HeldLease] = [:]
        var attempts: [UUID: Task<AttemptOutcome, Never>] = [:]
    }

    init(
        queue: any TaskQueue, runner: ActionRunner, options: TaskWorkerOptions, gate: SchemaGate?, metrics: ServiceMetrics?, logger: Logger
    ) {
        self.queue = queue
        self.runner = runner
        self.options = options
        self.gate = gate
        self.logger = logger
        self.outcomes = TaskOutcomeCounters(metrics: metrics)
    }

    func run() async throws {
        guard options.workers > 0 else { return }
        if let gate {
            do {
                try await cancelWhenGracefulShutdown { try await gate.wait() }
            } catch {
                return
            }
        }
        if Task.isShuttingDownGracefully { return }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                state.withLock { $0.activeWorkers = options.workers }
                for _ in 0..<options.workers {
                    group.addTask {
                        await self.work()
                        self.state.withLock { $0.activeWorkers -= 1 }
                    }
                }
                group.addTask { await self.maintainLeases() }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            self.beginStopping()
        }
        guard !Task.isCancelled else { return }
        let leftover = state.withLock { Array($0.held.values) }
        if !leftover.isEmpty {
            do {
                let released = try await queue.release(leftover)
                logger.info("released the leases of interrupted attempts", metadata: ["released": "\(released)"])
            } catch {
                logger.error("could not release leases; they expire instead", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// Stops leasing now, and interrupts running attempts once the grace period is over.
    func beginStopping() {
        state.withLock { $0.stopping = true }
        let grace = options.gracePeriod
        Task { [weak self] in
            try? await Task.sleep(for: grace)
            self?.interruptAttempts()
        }
    }

    private func interruptAttempts() {
        let running = state.withLock { state -> [Task<AttemptOutcome, Never>] in
            state.interrupted = true
            return Array(state.attempts.values)
        }
        for attempt in running { attempt.cancel() }
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    // MARK: Workers

    /// One worker: records what it finished and leases the next batch in one transaction, runs the
    /// batch, repeats. After a full batch the completions wait in `pending` (their leases still
    /// held and extended) for the next round; after a partial one they are recorded at once and
    /// the worker rests for the poll interval. On stop the last ones are recorded on their own.
    private func work() async {
        var failures = 0
        var pending: [TaskCompletion] = []
        while !Task.isCancelled && !isStopping {
            let token = UUIDv7.generate().lowercasedString
            let batch: [LeasedTask]
            do {
                let (finished, leased) = try await queue.finishAndLease(
                    pending, token: token, limit: options.batchSize, for: options.lease, scope: options.scope)
                recorded(pending, finished)
                pending = []
                batch = leased
                failures = 0
            } catch {
                if Task.isCancelled { return }
                failures += 1
                logger.error("leasing tasks failed", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: min(options.pollInterval * (1 << min(failures, 5)), .seconds(5)))
                continue
            }
            if batch.isEmpty {
                try? await Task.sleep(for: options.pollInterval)
                continue
            }
            hold(batch.map(\.lease))
            guard let completions = await process(batch) else { return }
            if batch.count >= options.batchSize {
                pending = completions  // more is waiting: record these with the next lease
            } else {
                // The queue is (nearly) drained: record now, then rest instead of polling a
                // near-empty queue in a tight loop with every worker of every replica.
                await record(completions)
                try? await Task.sleep(for: options.pollInterval)
            }
        }
        if !pending.isEmpty, !Task.isCancelled { await record(pending) }
    }

    /// Runs a leased batch: its `notify` tasks succeed by being recorded (their notification is
    /// inserted by the statement that records them), the other task (at most one) is attempted.
    /// `nil` when the attempt was interrupted (stop working, record nothing).
    private func process(_ batch: [LeasedTask]) async -> [TaskCompletion]? {
        var completions: [TaskCompletion] = []
        for task in batch where task.action.kind == .notify {
            let notificationID = UUIDv7.generate()
            completions.append(
                TaskCompletion(
                    lease: task.lease, outcome: .succeeded(["notification_id": .string(notificationID.lowercasedString)]),
                    notificationID: notificationID))
        }
        let others = batch.filter { $0.action.kind != .notify }
        guard !others.isEmpty else { return completions }
        // A slow attempt follows: record the notifications now rather than after it.
        if !completions.isEmpty {
            await record(completions)
            completions = []
        }
        for task in others {
            guard let outcome = await attempt(task) else { return nil }
            var delay = Duration.zero
            if case .failed(_, retryable: true) = outcome {
                var random = SystemRandomNumberGenerator()
                delay = options.backoff.delay(afterAttempt: task.attempt, random: &random)
            }
            completions.append(TaskCompletion(lease: task.lease, outcome: outcome, retryDelay: delay))
        }
        return completions
    }

    /// One attempt, in its own task so shutdown can interrupt it after the grace period; `nil`
    /// when it was interrupted or the pool was cancelled (nothing is recorded then).
    private func attempt(_ task: LeasedTask) async -> AttemptOutcome? {
        let runner = self.runner
        let attempt = Task { await runner.run(task) }
        state.withLock { $0.attempts[task.id] = attempt }
        let outcome = await withTaskCancellationHandler {
            await attempt.value
        } onCancel: {
            attempt.cancel()
        }
        let interrupted = state.withLock { state in
            state.attempts[task.id] = nil
            return state.interrupted
        }
        if Task.isCancelled || interrupted { return nil }
        return outcome
    }

    private func record(_ completions: [TaskCompletion]) async {
        do {
            recorded(completions, try await queue.finish(completions))
        } catch {
            logger.error("recording task attempts failed; their leases will expire", metadata: ["error": "\(String(reflecting: error))"])
            unhold(completions.map(\.lease))
        }
    }

    /// Counts what was recorded, warns about leases lost meanwhile, and stops holding them all.
    private func recorded(_ completions: [TaskCompletion], _ finished: [FinishedTask]) {
        guard !completions.isEmpty else { return }
        outcomes.count(finished)
        if finished.count < completions.count {
            logger.warning(
                "a lease was lost before its attempt finished; that attempt's result was dropped",
                metadata: ["lost": "\(completions.count - finished.count)"])
        }
        unhold(completions.map(\.lease))
    }

    private func hold(_ leases: [HeldLease]) {
        state.withLock { state in
            for lease in leases { state.held[lease.taskID] = lease }
        }
    }

    private func unhold(_ leases: [HeldLease]) {
        state.withLock { state in
            for lease in leases where state.held[lease.taskID] == lease { state.held[lease.taskID] = nil }
        }
    }

    // MARK: Leases

    /// Extends held leases every third of the lease period and reclaims expired ones; runs until
    /// every worker has stopped (heartbeats continue through the grace period).
    private func maintainLeases() async {
        let clock = ContinuousClock()
        var lastExtend = clock.now
        var lastReclaim = clock.now - options.reclaimEvery
        let pause = min(max(min(options.extendEvery, options.reclaimEvery) / 4, .milliseconds(20)), .seconds(1))
        while !Task.isCancelled {
            let (done, stopping, held) = state.withLock { ($0.stopping && $0.activeWorkers == 0, $0.stopping, Array($0.held.values)) }
            if done { return }
            if clock.now - lastExtend >= options.extendEvery {
                lastExtend = clock.now
                if !held.isEmpty {
                    do {
                        _ = try await queue.extend(held, for: options.lease)
                    } catch {
                        logger.error("extending leases failed", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
            }
            if !stopping, clock.now - lastReclaim >= options.reclaimEvery {
                lastReclaim = clock.now
                do {
                    let reclaimed = try await queue.reclaimExpired(scope: options.scope, limit: 500)
                    if reclaimed > 0 {
                        logger.warning("reclaimed tasks whose lease expired", metadata: ["tasks": "\(reclaimed)"])
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.error("reclaiming expired leases failed", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
            try? await Task.sleep(for: pause)
        }
    }
}

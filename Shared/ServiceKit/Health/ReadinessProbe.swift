import Foundation
import Logging
import Synchronization

/// Answers "can this process serve?" by running `SELECT 1` against its database.
///
/// A check has a 2 s deadline. Success is cached for 5 s so a probe storm does not become a
/// query storm — but only while the probe's connection stays open (see ``DatabaseProbe``): when
/// the database stops, its connections close and the next probe checks again and fails at once.
/// Failures are never cached, so recovery shows on the next probe. Extra checks (the gateway's
/// upstreams) run after the database check.
public final class ReadinessProbe: Sendable {
    public typealias Check = @Sendable () async -> String?

    private let probe: DatabaseProbe?
    private let extraChecks: [Check]
    private let deadline: Duration
    private let cacheFor: Duration
    private let lastSuccess = Mutex<ContinuousClock.Instant?>(nil)

    /// - Parameter extraChecks: each returns nil when healthy, or a short error type.
    public init(database: Database?, extraChecks: [Check] = [], deadline: Duration = .seconds(2), cacheFor: Duration = .seconds(5)) {
        self.probe = database.map { DatabaseProbe(settings: $0.settings, logger: $0.logger) }
        self.extraChecks = extraChecks
        self.deadline = deadline
        self.cacheFor = cacheFor
    }

    /// nil when ready, else a short error type such as `database_unavailable`.
    public func check() async -> String? {
        let now = ContinuousClock.now
        if let last = lastSuccess.withLock({ $0 }), now - last < cacheFor, await probe?.isConnected ?? true {
            return nil
        }
        lastSuccess.withLock { $0 = nil }
        if let probe {
            do {
                try await withDeadline(deadline) { try await probe.check() }
            } catch is DeadlineExceeded {
                return "database_timeout"
            } catch {
                return "database_unavailable"
            }
        }
        for check in extraChecks {
            if let failure = await check() { return failure }
        }
        lastSuccess.withLock { $0 = now }
        return nil
    }

    /// Closes the probe connection (on shutdown).
    public func shutdown() async { await probe?.close() }
}

/// Thrown by ``withDeadline(_:_:)`` when the operation did not finish in time.
public struct DeadlineExceeded: Error, Sendable {}

/// Runs `operation`, cancelling it and throwing ``DeadlineExceeded`` after `limit`.
public func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlineExceeded() }
        return value
    }
}

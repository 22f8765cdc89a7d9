import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Synchronization

/// Writes security events (auth failures, rate-limit refusals, 403s) to `gateway.security_logs`
/// in batches, off the request path.
///
/// A request only appends to a bounded in-memory buffer; a background service drains it in
/// batches of up to 500 rows per statement. A slow or unavailable database therefore never slows
/// a request: when the buffer is full, new events are dropped and counted
/// (`apex_security_events_dropped_total`) instead of waiting.
final class SecurityAuditLog: Service, Sendable {
    private let buffer = Mutex<[SecurityEvent]>([])
    private let capacity: Int
    private let database: Database
    private let logger: Logger
    private let dropped: ServiceKit.ServiceMetrics
    private let wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    init(capacity: Int, database: Database, logger: Logger, metrics: ServiceKit.ServiceMetrics) {
        self.capacity = capacity
        self.database = database
        self.logger = logger
        self.dropped = metrics
    }

    func record(_ kind: SecurityEvent.Kind, request: Request, context: ApexRequestContext, status: Int, detail: String) {
        let event = SecurityEvent(
            kind: kind, occurredAt: Date(), userID: context.authenticatedUser?.id,
            clientIP: context.clientAddress?.ipAddress, method: request.method.rawValue,
            path: String(request.uri.path.prefix(512)), status: status, detail: String(detail.prefix(512)))
        let accepted = buffer.withLock { events in
            guard events.count < capacity else { return false }
            events.append(event)
            return true
        }
        if accepted {
            wake.continuation.yield()
        } else {
            dropped.counter("security_events_dropped", help: "Security events dropped because the audit buffer was full").increment()
        }
    }

    /// Events not yet written (for tests and the shutdown flush).
    var pending: Int { buffer.withLock { $0.count } }

    func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in wake.stream {
                await flush()
                try? await Task.sleep(for: .milliseconds(50))
            }
        } onGracefulShutdown: {
            self.wake.continuation.finish()
        }
        await flush()
    }

    /// Writes everything buffered, in batches; on failure the batch is logged and dropped rather
    /// than retried forever against a database that is down.
    func flush() async {
        while true {
            let batch: [SecurityEvent] = buffer.withLock { events in
                let batch = Array(events.prefix(500))
                events.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await database.withTransaction(.system) { [logger] connection in
                    try await connection.query(
                        """
                        INSERT INTO gateway.security_logs (occurred_at, event, user_id, client_ip, method, path, status, detail)
                        SELECT t.at, t.event, NULLIF(t.user_id, ''), NULLIF(t.ip, ''), t.method, t.path, t.status, jsonb_build_object('detail', t.detail)
                        FROM unnest(\(batch.map(\.occurredAt))::timestamptz[], \(batch.map(\.kind.rawValue))::text[],
                                    \(batch.map { $0.userID ?? "" })::text[], \(batch.map { $0.clientIP ?? "" })::text[], \(batch.map(\.method))::text[],
                                    \(batch.map(\.path))::text[], \(batch.map(\.status))::int4[], \(batch.map(\.detail))::text[])
                             AS t(at, event, user_id, ip, method, path, status, detail)
                        """,
                        logger: logger)
                }
            } catch {
                logger.error("could not write security events", metadata: ["count": "\(batch.count)", "error": "\(error)"])
                dropped.counter("security_events_dropped", help: "Security events dropped because the audit buffer was full").increment(
                    by: Int64(batch.count))
            }
        }
    }
}

import ApexProtocol
import Hummingbird
import ServiceKit

/// `POST /internal/retention` on the gateway: deletes security log rows older than
/// `SECURITY_LOG_RETENTION_DAYS` (90), in batches so a large backlog never holds a long lock.
struct GatewayRetentionController: Sendable {
    let database: Database
    let retentionDays: Int

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/internal/retention") { _, _ -> RetentionResponse in
            RetentionResponse(deleted: ["security_logs": try await sweep()])
        }
        return routes
    }

    func sweep(batchSize: Int = 5000) async throws -> Int {
        var total = 0
        while true {
            let days = retentionDays
            let deleted = try await database.withTransaction(.system) { [database] connection in
                let rows = try await connection.query(
                    """
                    WITH doomed AS (
                        SELECT id FROM gateway.security_logs
                        WHERE occurred_at < now() - \(days) * interval '1 day'
                        ORDER BY id LIMIT \(batchSize)
                    )
                    DELETE FROM gateway.security_logs s USING doomed WHERE s.id = doomed.id RETURNING 1
                    """,
                    logger: database.logger)
                var count = 0
                for try await _ in rows { count += 1 }
                return count
            }
            total += deleted
            if deleted < batchSize { return total }
        }
    }
}

import ApexProtocol
import ApexTestSupport
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Memory
import PostgresNIO
import Rag
import Scheduler
import ServiceKit
import Testing

/// The scheduler's built-in sweep against the real services: it reaches each one's
/// `/internal/retention` with the system identity, and the rows past retention go.
@Suite("Retention sweep across the services")
struct RetentionSweepTests {
    /// A database of its own: a sweep is system-wide.
    @Test func theSchedulersSweepReachesTheGatewaysSecurityLog() async throws {
        try await TestDatabase.withScratchDatabase { url in
            let scratch = try DatabaseSettings(environment: EnvironmentReader(["DATABASE_URL": url, "DB_ACQUIRE_TIMEOUT_MS": "3000"]))
            let runtime = TestSettings.runtime()
            let backend = ["DATABASE_URL": url, "EMBEDDING_PROVIDER": "hash"]
            let rag = try await buildApplication(settings: RagSettings(environment: TestSettings.environment(backend)), runtime: runtime)
            let memory = try await buildApplication(
                settings: MemorySettings(environment: TestSettings.environment(backend)), runtime: runtime)
            try await rag.test(.live) { ragClient in
                try await memory.test(.live) { memoryClient in
                    let gatewaySettings = try GatewaySettings(
                        environment: TestSettings.environment([
                            "DATABASE_URL": url, "AUTH_DISABLED": "1", "RAG_URL": "http://127.0.0.1:\(ragClient.port!)",
                            "MEMORY_URL": "http://127.0.0.1:\(memoryClient.port!)", "SCHEDULER_URL": "http://127.0.0.1:1",
                        ]))
                    try await buildApplication(settings: gatewaySettings, runtime: runtime).test(.live) { gatewayClient in
                        // The gateway has made its table: one row past the 90 days, one within.
                        try await TestDatabase.withDatabase(settings: scratch) { database in
                            try await database.withTransaction(.system) { connection in
                                for (age, marker) in [(100, "past"), (10, "within")] {
                                    try await connection.query(
                                        """
                                        INSERT INTO gateway.security_logs (occurred_at, event, method, path, status, detail)
                                        VALUES (now() - \(age) * interval '1 day', 'rate_limited', 'GET', '/api/v1/documents', 429,
                                                jsonb_build_object('detail', \(marker)::text))
                                        """, logger: database.logger)
                                }
                            }
                        }
                        let schedulerSettings = try SchedulerSettings(
                            environment: TestSettings.environment([
                                "DATABASE_URL": url, "TICK_INTERVAL_SECONDS": "0", "RETENTION_INTERVAL_SECONDS": "3600",
                                "RAG_URL": "http://127.0.0.1:\(ragClient.port!)", "MEMORY_URL": "http://127.0.0.1:\(memoryClient.port!)",
                                "GATEWAY_URL": "http://127.0.0.1:\(gatewayClient.port!)",
                            ]))
                        // The sweep's first round runs as the scheduler starts.
                        try await buildApplication(settings: schedulerSettings, runtime: runtime).test(.live) { _ in
                            var left: [String] = []
                            for _ in 0..<100 {
                                left = try await TestDatabase.withDatabase(settings: scratch) { database in
                                    try await database.withTransaction(.system) { connection in
                                        var markers: [String] = []
                                        let rows = try await connection.query(
                                            "SELECT detail->>'detail' FROM gateway.security_logs ORDER BY occurred_at",
                                            logger: database.logger)
                                        for try await marker in rows.decode(String.self) { markers.append(marker) }
                                        return markers
                                    }
                                }
                                if left == ["within"] { break }
                                try await Task.sleep(for: .milliseconds(100))
                            }
                            #expect(left == ["within"])
                        }
                    }
                }
            }
        }
    }
}

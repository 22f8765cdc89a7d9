import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ServiceKit

@Suite("Readiness follows the database")
struct ReadinessTests {
    @Test func readinessTurns503WhenTheDatabaseStopsAndRecovers() async throws {
        let real = try TestDatabase.settings()
        let proxy = TCPProxy(targetHost: real.host, targetPort: real.port)
        try await proxy.start()
        let url = TestDatabase.url.replacingOccurrences(of: ":\(real.port)/", with: ":\(proxy.port)/")
        let core = ServiceCore(settings: try TestSettings.common(.rag, ["DATABASE_URL": url]), runtime: TestSettings.runtime())
        let app = try core.makeApplication(router: core.makeRouter(), migrations: nil)

        try await app.test(.live) { client in
            func status(_ path: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: path, method: .get) { $0.status }
            }
            var ready = false
            for _ in 0..<50 where !ready {
                ready = try await status("/readiness") == .ok
                if !ready { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(ready)

            await proxy.stop()
            let stopped = ContinuousClock.now
            var turned: Duration?
            while ContinuousClock.now - stopped < .seconds(5) {
                if try await status("/readiness") == .serviceUnavailable {
                    turned = ContinuousClock.now - stopped
                    break
                }
                #expect(try await status("/liveness") == .ok)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(turned != nil && turned! < .seconds(2.5), "readiness turned after \(String(describing: turned))")
            try await client.execute(uri: "/readiness", method: .get) { response in
                let body = try ApexJSON.makeDecoder().decode(HealthStatus.self, from: Data(buffer: response.body))
                #expect(body.status == .notReady)
                #expect(body.error == "database_unavailable")
            }
            #expect(try await status("/liveness") == .ok)

            try await proxy.start()
            let restarted = ContinuousClock.now
            var recovered = false
            while ContinuousClock.now - restarted < .seconds(10) {
                if try await status("/readiness") == .ok {
                    recovered = true
                    break
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(recovered)
        }
        await proxy.stop()
    }

    @Test func anUnreachableDatabaseDoesNotHangRequests() async throws {
        // Port 9 (discard) on loopback is closed: the pool keeps retrying, requests must not wait forever.
        var settings = try TestDatabase.settings()
        settings.port = 9
        settings.acquireTimeout = .milliseconds(300)
        let start = ContinuousClock.now
        await #expect(throws: DatabaseUnavailable.self) {
            try await TestDatabase.withDatabase(settings: settings) { database in
                try await database.withConnection { connection in
                    try await connection.query("SELECT 1", logger: database.logger)
                }
            }
        }
        #expect(ContinuousClock.now - start < .seconds(5), "bounded by the acquire timeout, not hung")
    }
}

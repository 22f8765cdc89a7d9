import ApexProtocol
import Foundation
import NIOCore
import ServiceKit

/// RFC 7396 merge patches to one user's `preferences` hub from `clients` concurrent callers.
///
/// Client c at step i sends `{"client<c>": {"k<i % 4>": i}}`, so the hub stays the size of a
/// real one (clients × 4 nested keys, about 2 kB) while every patch changes a value and merges
/// into a nested object; afterwards every key must hold the last value its client wrote — a lost
/// update would leave an older value or no key.
struct PreferenceLoad {
    let client: ServiceClient
    let clients: Int
    let duration: Double
    let meter: CPUMeter
    static let keysPerClient = 4

    func run() async throws -> (stats: LatencyStats, lostKeys: Int, keys: Int) {
        let user = "bench-pref-\(UUID().uuidString.prefix(8).lowercased())"
        let first = meter.read()
        let start = ContinuousClock.now
        let end = start + .milliseconds(Int(duration * 1000))
        let errors = ErrorCounter()
        let results = try await withThrowingTaskGroup(of: (samples: [Double], last: [String: Int], owner: Int).self) { group in
            for worker in 0..<clients {
                group.addTask { [client] in
                    var samples: [Double] = []
                    var last: [String: Int] = [:]
                    var step = 0
                    while ContinuousClock.now < end {
                        let key = "k\(step % Self.keysPerClient)"
                        let patch: JSONValue = ["client\(worker)": [key: .number(Double(step))]]
                        let sent = ContinuousClock.now
                        do {
                            var request = UpstreamRequest(method: .patch, path: "/api/v1/preferences/preferences", subject: user)
                            request.headers[.contentType] = "application/merge-patch+json"
                            request.body = ByteBuffer(bytes: try ApexJSON.encode(patch))
                            let response = try await client.execute(request)
                            if response.status == .ok { last[key] = step } else { errors.add() }
                        } catch {
                            errors.add()
                        }
                        samples.append((ContinuousClock.now - sent) / .milliseconds(1))
                        step += 1
                    }
                    return (samples, last, worker)
                }
            }
            return try await group.reduce(into: [(samples: [Double], last: [String: Int], owner: Int)]()) { $0.append($1) }
        }
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        let last = meter.read()
        let hub: JSONValue = try await client.call(.get, "/api/v1/preferences/preferences", as: user)
        var lost = 0
        var keys = 0
        for result in results {
            for (key, value) in result.last {
                keys += 1
                if hub["client\(result.owner)"]?[key] != .number(Double(value)) { lost += 1 }
            }
        }
        let stats = LatencyStats(
            samplesMilliseconds: results.flatMap(\.samples), elapsedSeconds: elapsed, errors: errors.value,
            processCPU: last.process - first.process, postgresCPU: last.postgres.flatMap { end in first.postgres.map { end - $0 } },
            serviceCPU: last.service.flatMap { end in first.service.map { end - $0 } })
        return (stats, lost, keys)
    }
}

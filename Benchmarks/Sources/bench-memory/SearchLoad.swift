import ApexProtocol
import Foundation
import NIOCore
import ServiceKit

/// `POST /api/v1/memories/search` from `clients` concurrent callers over one HTTP/2
/// connection, each looping through the fixed query list for `duration` seconds after a warm-up.
struct SearchLoad {
    let client: ServiceClient
    let queries: [(user: String, query: String)]
    let clients: Int
    let duration: Double
    let warmup: Double
    let meter: CPUMeter

    func run() async throws -> LatencyStats {
        let start = ContinuousClock.now
        let measureFrom = start + .milliseconds(Int(warmup * 1000))
        let end = measureFrom + .milliseconds(Int(duration * 1000))
        let errors = ErrorCounter()
        let meter = self.meter
        // Reads the CPU meters at the start and the end of the measured window.
        let cpu = Task { () -> (CPUMeter.Reading, CPUMeter.Reading) in
            try? await Task.sleep(until: measureFrom)
            let first = meter.read()
            try? await Task.sleep(until: end)
            return (first, meter.read())
        }
        // Each worker's samples in the window, and its slowest call of the whole run (warm-up and
        // the call straddling the window's end included): a database reading cold storage can
        // hold every call past the window, which the samples alone show only as "0 requests".
        let (samples, slowest) = try await withThrowingTaskGroup(of: ([Double], Double).self) { group in
            for worker in 0..<clients {
                group.addTask { [client, queries] in
                    var samples: [Double] = []
                    var slowest = 0.0
                    var index = worker * 7919
                    while ContinuousClock.now < end {
                        let (user, query) = queries[index % queries.count]
                        index += 1
                        let sent = ContinuousClock.now
                        do {
                            // The answer is checked, not decoded: the client's JSON work is not what is measured.
                            var request = UpstreamRequest(method: .post, path: "/api/v1/memories/search", subject: user)
                            request.headers[.contentType] = "application/json"
                            request.body = ByteBuffer(bytes: try ApexJSON.encode(MemorySearchRequest(query: query, limit: 10)))
                            let response = try await client.execute(request)
                            if response.status != .ok || !response.body.readableBytesView.starts(with: Array(#"{"results":[{"#.utf8)) {
                                errors.add()
                            }
                        } catch {
                            errors.add()
                        }
                        let finished = ContinuousClock.now
                        slowest = max(slowest, (finished - sent) / .milliseconds(1))
                        if sent >= measureFrom, finished <= end {
                            samples.append((finished - sent) / .milliseconds(1))
                        }
                    }
                    return (samples, slowest)
                }
            }
            return try await group.reduce(into: ([Double](), 0.0)) { $0 = ($0.0 + $1.0, max($0.1, $1.1)) }
        }
        let (first, last) = await cpu.value
        return LatencyStats(
            samplesMilliseconds: samples, elapsedSeconds: duration, errors: errors.value, slowestOfRun: slowest,
            processCPU: last.process - first.process,
            postgresCPU: last.postgres.flatMap { end in first.postgres.map { end - $0 } },
            serviceCPU: last.service.flatMap { end in first.service.map { end - $0 } })
    }
}

import Foundation

/// One measured window: throughput, latency and the CPU each side burnt.
struct LoadResult: Sendable {
    let concurrency: Int
    let seconds: Double
    let latency: LatencySummary
    let errors: Int
    let wrongAnswers: Int
    let firstError: String?
    /// CPU seconds of this process during the window (client and, in-process, server too).
    let clientCPU: Double
    /// CPU seconds of the server process during the window, when it is another process.
    let serverCPU: Double?
    /// CPU seconds all other processes on the machine used during the window.
    let otherCPU: Double?

    var requestsPerSecond: Double { Double(latency.count) / seconds }

    func report(mode: String) -> String {
        func fixed(_ value: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", value) }
        var lines = [
            "mode: \(mode)",
            "load: \(concurrency) concurrent streams on one h2c connection, \(fixed(seconds, 1)) s measured",
            "requests: \(latency.count) ok, \(errors) errors, \(wrongAnswers) wrong answers",
            "throughput: \(fixed(requestsPerSecond)) req/s",
            "latency (ms): p50 \(fixed(latency.p50 / 1000, 2))  p90 \(fixed(latency.p90 / 1000, 2))  p99 \(fixed(latency.p99 / 1000, 2))  max \(fixed(latency.max / 1000, 2))  mean \(fixed(latency.mean / 1000, 2))",
        ]
        let perRequest = { (cpu: Double) in fixed(cpu / Double(max(1, latency.count)) * 1e6, 1) }
        if let serverCPU {
            lines.append("cpu (cores busy): client \(fixed(clientCPU / seconds, 2)), server \(fixed(serverCPU / seconds, 2)) of 2")
            lines.append("cpu per request (µs): client \(perRequest(clientCPU)), server \(perRequest(serverCPU))")
        } else {
            lines.append("cpu (cores busy): client+server process \(fixed(clientCPU / seconds, 2)) of 2")
            lines.append("cpu per request (µs): client+server \(perRequest(clientCPU))")
        }
        if let otherCPU {
            lines.append("other processes on the machine: \(fixed(otherCPU / seconds, 2)) cores busy during the window")
        }
        if let firstError { lines.append("first error: \(firstError)") }
        return lines.joined(separator: "\n")
    }
}

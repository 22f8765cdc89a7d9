/// Latency percentiles and throughput of one measured run.
struct LatencyStats: CustomStringConvertible {
    var samplesMilliseconds: [Double]
    var elapsedSeconds: Double
    var errors: Int = 0
    /// The slowest call of the whole run, warm-up and calls ending after the window included.
    var slowestOfRun: Double?
    /// CPU seconds used during the run by this process (service + client) and by PostgreSQL.
    var processCPU: Double?
    var postgresCPU: Double?
    /// CPU seconds of the service process, when it runs as its own process.
    var serviceCPU: Double?

    var count: Int { samplesMilliseconds.count }
    var throughput: Double { Double(count) / elapsedSeconds }

    func percentile(_ p: Double) -> Double {
        guard !samplesMilliseconds.isEmpty else { return .nan }
        let sorted = samplesMilliseconds.sorted()
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return sorted[max(0, index)]
    }

    var mean: Double { samplesMilliseconds.reduce(0, +) / Double(max(1, count)) }

    var description: String {
        func f(_ value: Double) -> String { String(format: "%.2f", value) }
        return "\(count) requests in \(f(elapsedSeconds)) s = \(f(throughput))/s; latency ms mean \(f(mean)) "
            + "p50 \(f(percentile(50))) p95 \(f(percentile(95))) p99 \(f(percentile(99))) max \(f(percentile(100))); errors \(errors)"
            + (slowestOfRun.map { "; slowest call of the run \(f($0)) ms" } ?? "")
            + (processCPU.map { "; CPU ms/request: bench process \(f($0 * 1000 / Double(max(1, count))))" } ?? "")
            + (serviceCPU.map { ", service process \(f($0 * 1000 / Double(max(1, count))))" } ?? "")
            + (postgresCPU.map { ", PostgreSQL \(f($0 * 1000 / Double(max(1, count))))" } ?? "")
    }
}

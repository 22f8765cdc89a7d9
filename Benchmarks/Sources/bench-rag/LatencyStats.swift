/// Percentiles and throughput of one measured run.
struct LatencyStats: CustomStringConvertible {
    let count: Int
    let seconds: Double
    let p50: Double
    let p95: Double
    let p99: Double
    let mean: Double
    let errors: Int

    init(samplesMilliseconds samples: [Double], elapsedSeconds: Double, errors: Int = 0) {
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
        }
        count = sorted.count
        seconds = elapsedSeconds
        p50 = percentile(0.50)
        p95 = percentile(0.95)
        p99 = percentile(0.99)
        mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
        self.errors = errors
    }

    var perSecond: Double { Double(count) / seconds }

    var description: String {
        "n=\(count) rate=\(fmt(perSecond))/s p50=\(fmt(p50)) p95=\(fmt(p95)) p99=\(fmt(p99)) mean=\(fmt(mean)) ms errors=\(errors)"
    }
}

func fmt(_ value: Double, _ digits: Int = 1) -> String {
    guard value.isFinite else { return "-" }
    var factor = 1.0
    for _ in 0..<digits { factor *= 10 }
    let rounded = (value * factor).rounded() / factor
    return "\(rounded)"
}

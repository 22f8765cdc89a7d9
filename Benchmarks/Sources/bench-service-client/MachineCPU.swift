import Foundation

/// CPU time the whole machine spent busy, from the first line of `/proc/stat`. The benchmark
/// machine is shared (other engineers' builds and tests), so a run reports how many cores
/// processes other than the client and the server used while it measured.
enum MachineCPU {
    /// Busy seconds summed over all cores (user, nice, system, irq, softirq, steal), or nil.
    static func busySeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return nil }
        let busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

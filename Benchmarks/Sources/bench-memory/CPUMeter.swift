import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// CPU seconds spent by this process and by the PostgreSQL cluster (postmaster and all its
/// backends), so a run can report CPU per request: on a machine shared with other work that
/// is the figure load distorts least.
struct CPUMeter {
    /// The cluster's data directory (`postmaster.pid` names the postmaster); nil: not measured.
    let postgresDataDirectory: String?
    /// A service running as its own process (`--service-binary`), measured on its own.
    var servicePID: Int32?

    struct Reading {
        var process: Double
        var postgres: Double?
        var service: Double?
    }

    func read() -> Reading {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let process =
            Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return Reading(process: process, postgres: postgresSeconds(), service: servicePID.flatMap(Self.processSeconds))
    }

    /// utime + stime of one process, from /proc.
    static func processSeconds(_ pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return nil
        }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// utime + stime of the postmaster and its live children, plus the postmaster's cutime +
    /// cstime (the CPU of backends that already exited and were reaped), from /proc.
    private func postgresSeconds() -> Double? {
        guard let directory = postgresDataDirectory,
            let pidFile = try? String(contentsOfFile: directory + "/postmaster.pid", encoding: .utf8),
            let postmaster = pidFile.split(separator: "\n").first.flatMap({ Int($0) })
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after "(comm)": state ppid ... utime(14) stime(15), counted from 1 overall.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 14, let parent = Int(fields[1]), pid == postmaster || parent == postmaster,
                let user = Double(fields[11]), let system = Double(fields[12])
            else { continue }
            total += (user + system) / ticks
            if pid == postmaster, let reapedUser = Double(fields[13]), let reapedSystem = Double(fields[14]) {
                total += (reapedUser + reapedSystem) / ticks
            }
        }
        return total
    }
}

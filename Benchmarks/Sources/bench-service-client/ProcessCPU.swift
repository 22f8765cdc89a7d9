import Foundation

/// CPU time (user + system) a process has used so far, read from `/proc/<pid>/stat`, so the
/// benchmark can say how many of the machine's 2 cores the client and the server each burnt.
struct ProcessCPU: Sendable {
    let pid: Int32

    static var current: ProcessCPU { ProcessCPU(pid: getpid()) }

    /// Seconds of CPU, or nil when the process is gone or /proc is unavailable.
    func seconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let closing = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after "(comm)": state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: closing)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

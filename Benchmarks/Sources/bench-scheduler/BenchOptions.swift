import Foundation

/// `bench-scheduler [claim|tasks|cron|all] [--jobs N] [--tasks N] [--instances N] [--workers N] [--task-batch N] [--poll-ms N] [--runs N]`
/// against `APEX_BENCH_DATABASE_URL` (a scratch database: the benchmark empties the scheduler's tables).
struct BenchOptions {
    var scenario = "all"
    var jobs = 10_000
    var tasks = 20_000
    var instances = 3
    var workers = 4
    var taskBatch = 32
    /// `TASK_POLL_INTERVAL_MS` of the instances (the production default).
    var pollMilliseconds = 250
    var runs = 3
    var databaseURL = ""

    static func parse(_ arguments: [String]) -> BenchOptions {
        var options = BenchOptions()
        var index = 0
        func value() -> Int {
            index += 1
            guard index < arguments.count, let number = Int(arguments[index]), number > 0 else {
                fail("\(arguments[index - 1]) needs a positive integer")
            }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "claim", "tasks", "cron", "all": options.scenario = arguments[index]
            case "--jobs": options.jobs = value()
            case "--tasks": options.tasks = value()
            case "--instances": options.instances = value()
            case "--workers": options.workers = value()
            case "--task-batch": options.taskBatch = value()
            case "--poll-ms": options.pollMilliseconds = value()
            case "--runs": options.runs = value()
            default: fail("unknown argument \(arguments[index])")
            }
            index += 1
        }
        let environment = ProcessInfo.processInfo.environment
        options.databaseURL = environment["APEX_BENCH_DATABASE_URL"] ?? ""
        if options.databaseURL.isEmpty, options.scenario != "cron" {
            fail("set APEX_BENCH_DATABASE_URL to a scratch database (scripts/pg start --dir /tmp/bench-pg --port 55468 --ephemeral)")
        }
        return options
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("bench-scheduler: \(message)\n".utf8))
        exit(64)
    }
}

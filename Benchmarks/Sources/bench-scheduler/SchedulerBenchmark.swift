import Foundation
import Scheduler

/// Runs the scenarios and prints one line per run, then a summary against the targets.
enum SchedulerBenchmark {
    static func main() async {
        let options = BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
        let date = ISO8601DateFormatter().string(from: Date())
        print("bench-scheduler \(date) scenario=\(options.scenario) runs=\(options.runs)")
        do {
            if ["cron", "all"].contains(options.scenario) { try cron(options) }
            if ["claim", "all"].contains(options.scenario) { try await claim(options) }
            if ["tasks", "all"].contains(options.scenario) { try await tasks(options) }
        } catch {
            BenchOptions.fail("\(error)")
        }
    }

    static func cron(_ options: BenchOptions) throws {
        let cases: [(String, String)] = [
            ("*/15 9-17 * * MON-FRI", "Europe/Berlin"), ("0 9 * * *", "America/New_York"), ("* * * * *", "UTC"),
            ("30 2 * * *", "Australia/Lord_Howe"),
        ]
        for (expression, zone) in cases {
            var rates: [Double] = []
            for _ in 0..<options.runs {
                rates.append(
                    try CronSchedule.benchmarkNextOccurrence(
                        expression: expression, timeZone: TimeZone(identifier: zone)!, iterations: 500_000))
            }
            print(
                "cron next-occurrence \"\(expression)\" \(zone): \(rates.map { format($0 / 1000) + "k/s" }.joined(separator: ", ")) (target >= 500k/s)"
            )
        }
    }

    static func claim(_ options: BenchOptions) async throws {
        for _ in 0..<options.runs {
            let floor = try await ClaimBenchmark.databaseFloor(jobs: options.jobs, url: options.databaseURL)
            print(
                "claim database floor (one SQL statement, \(options.jobs) jobs): \(format(floor, 3)) s = \(format(Double(options.jobs) / floor)) slots/s"
            )
            for instances in Array(Set([1, options.instances])).sorted() {
                let result = try await ClaimBenchmark.run(jobs: options.jobs, instances: instances, url: options.databaseURL)
                print(
                    "claim \(options.jobs) due jobs, \(instances) instance(s): \(format(result.seconds, 3)) s = \(format(result.slotsPerSecond)) slots/s; "
                        + "runs=\(result.runs) tasks=\(result.tasks) duplicates=\(result.duplicates) still_due=\(result.stillDue) "
                        + "(target >= 2000/s, 0 duplicates; \(format(result.slotsPerSecond / (Double(options.jobs) / floor), 2))x of the floor)"
                )
            }
        }
    }

    static func tasks(_ options: BenchOptions) async throws {
        for _ in 0..<options.runs {
            // The enqueue floor: the same producers with no worker running.
            let enqueue = try await TaskThroughputBenchmark.run(
                mode: "stream", tasks: options.tasks, instances: 0, workers: options.workers, batch: options.taskBatch,
                pollMilliseconds: options.pollMilliseconds, url: options.databaseURL)
            print(
                "tasks enqueue only (16 producers, one transaction per task, no workers): \(format(enqueue.seconds, 3)) s = \(format(enqueue.tasksPerSecond)) tasks/s"
            )
            for mode in ["burst", "stream"] {
                for instances in Array(Set([1, options.instances])).sorted() {
                    let result = try await TaskThroughputBenchmark.run(
                        mode: mode, tasks: options.tasks, instances: instances, workers: options.workers, batch: options.taskBatch,
                        pollMilliseconds: options.pollMilliseconds, url: options.databaseURL)
                    print(
                        "tasks \(mode) \(result.tasks) notify, \(instances) instance(s) x \(options.workers) workers, poll \(options.pollMilliseconds) ms: "
                            + "\(format(result.seconds, 3)) s = \(format(result.tasksPerSecond)) tasks/s; "
                            + "notifications=\(result.notifications) not_succeeded=\(result.notSucceeded) (target >= 1000/s)")
                }
            }
        }
    }
}

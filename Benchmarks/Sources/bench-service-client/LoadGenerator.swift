import ApexProtocol
import Foundation
import ServiceKit

/// Drives one ``ServiceClient`` (one multiplexed h2c connection) with `concurrency` callers,
/// each sending the next echo as soon as the previous answer arrived, for a warm-up and then a
/// measured window. Only calls started inside the window count.
enum LoadGenerator {
    /// What one caller saw.
    struct CallerOutcome: Sendable {
        var latencies: [Int64] = []
        var errors = 0
        var wrongAnswers = 0
        var firstError: String?
    }

    static func run(port: Int, options: BenchmarkOptions, serverCPU: ProcessCPU?) async throws -> LoadResult {
        let client = try ServiceClient(
            target: BenchmarkIdentity.server, baseURL: URL(string: "http://127.0.0.1:\(port)")!,
            // Issue 2 measures one h2c connection; services get one per event loop by default.
            identity: BenchmarkIdentity.client, connections: 1)
        defer { Task { await client.shutdown() } }

        // One call first: the connection is open and the server answers over HTTP/2.
        let probe: EchoReply = try await client.call(
            .post, EchoServer.echoPath, body: EchoMessage(message: "probe", sequence: -1, tags: []), as: BenchmarkIdentity.subject)
        guard probe.httpVersion == "2", probe.sequence == -1, probe.user == BenchmarkIdentity.subject else {
            throw OptionError("the echo answered \(probe): expected HTTP/2 and the probe's sequence")
        }

        let clock = ContinuousClock()
        let measureFrom = clock.now + options.warmup
        let end = measureFrom + options.duration
        let ownCPU = ProcessCPU.current

        // CPU counters are read at the window's edges by a task of their own.
        async let cpuWindow: (client: Double, server: Double?, machine: Double?) = {
            try? await Task.sleep(until: measureFrom, clock: clock)
            let clientStart = ownCPU.seconds() ?? 0
            let serverStart = serverCPU?.seconds()
            let machineStart = MachineCPU.busySeconds()
            try? await Task.sleep(until: end, clock: clock)
            let clientUsed = (ownCPU.seconds() ?? 0) - clientStart
            let serverUsed = serverStart.flatMap { start in serverCPU?.seconds().map { $0 - start } }
            let machineUsed = machineStart.flatMap { start in MachineCPU.busySeconds().map { $0 - start } }
            return (clientUsed, serverUsed, machineUsed)
        }()

        let outcomes = await withTaskGroup(of: CallerOutcome.self) { group in
            for caller in 0..<options.concurrency {
                group.addTask {
                    await call(client: client, caller: caller, until: end, measuringFrom: measureFrom, clock: clock)
                }
            }
            return await group.reduce(into: [CallerOutcome]()) { $0.append($1) }
        }
        let cpu = await cpuWindow
        let seconds = Double(options.duration.components.seconds) + Double(options.duration.components.attoseconds) / 1e18
        return LoadResult(
            concurrency: options.concurrency, seconds: seconds,
            latency: LatencySummary(nanoseconds: outcomes.flatMap(\.latencies)),
            errors: outcomes.map(\.errors).reduce(0, +), wrongAnswers: outcomes.map(\.wrongAnswers).reduce(0, +),
            firstError: outcomes.lazy.compactMap(\.firstError).first,
            clientCPU: cpu.client, serverCPU: cpu.server,
            otherCPU: cpu.machine.map { max(0, $0 - cpu.client - (cpu.server ?? 0)) })
    }

    private static func call(
        client: ServiceClient, caller: Int, until end: ContinuousClock.Instant, measuringFrom measureFrom: ContinuousClock.Instant,
        clock: ContinuousClock
    ) async -> CallerOutcome {
        var outcome = CallerOutcome()
        outcome.latencies.reserveCapacity(1 << 14)
        var sequence = caller << 32
        var consecutiveErrors = 0
        while consecutiveErrors < 1000 {
            let begin = clock.now
            if begin >= end { break }
            sequence += 1
            do {
                let reply: EchoReply = try await client.call(
                    .post, EchoServer.echoPath,
                    body: EchoMessage(
                        message: "hello from the service client benchmark", sequence: sequence, tags: ["alpha", "beta", "gamma"]),
                    as: BenchmarkIdentity.subject)
                consecutiveErrors = 0
                guard reply.sequence == sequence, reply.httpVersion == "2" else {
                    outcome.wrongAnswers += 1
                    continue
                }
            } catch {
                consecutiveErrors += 1
                outcome.errors += 1
                if outcome.firstError == nil { outcome.firstError = String(describing: error) }
                continue
            }
            if begin >= measureFrom {
                let elapsed = clock.now - begin
                outcome.latencies.append(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
            }
        }
        return outcome
    }
}

import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceKit
import ServiceLifecycle

/// `bench-service-client`: ServiceKit's HTTP/2 client against a ServiceKit server, small JSON
/// echo, many streams on one h2c connection. See Benchmarks/Foundation/README.md.
enum ServiceClientBenchmark {
    static func main(arguments: [String]) async {
        let options: BenchmarkOptions
        do {
            options = try BenchmarkOptions(arguments: arguments)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(64)
        }
        do {
            switch options.mode {
            case .printToken:
                print(BenchmarkIdentity.token())
            case .serve(let port):
                try await serve(port: port, options: options)
            case .serveBare(let port):
                try await BareHTTP2Server.run(port: port)
            case .client(let port, let serverPID):
                let result = try await LoadGenerator.run(port: port, options: options, serverCPU: serverPID.map(ProcessCPU.init(pid:)))
                print(
                    result.report(mode: "out-of-process (client pid \(getpid()), server \(serverPID.map { "pid \($0)" } ?? "pid unknown"))")
                )
            case .clientBare(let port, let serverPID):
                let result = try await BareHTTP2Client.run(port: port, options: options, serverCPU: serverPID.map(ProcessCPU.init(pid:)))
                let server = serverPID.map { "pid \($0)" } ?? "pid unknown"
                print(result.report(mode: "bare swift-nio-http2 client (pid \(getpid()), server \(server))"))
            case .inProcess:
                let result = try await inProcess(options: options)
                print(result.report(mode: "in-process (server and client share pid \(getpid()))"))
            }
        } catch {
            FileHandle.standardError.write(Data("bench-service-client: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The server alone, until SIGTERM or SIGINT; prints `listening PORT pid PID` once bound.
    /// Logs as production does: JSON lines on stdout (the access log at `--log-level info`).
    static func serve(port: Int, options: BenchmarkOptions) async throws {
        let level = options.logLevel
        LoggingSystem.bootstrap { label in CloudLoggingHandler(label: label, service: BenchmarkIdentity.server.rawValue, level: level) }
        let app = try EchoServer.makeApplication(port: port, logLevel: options.logLevel, databaseURL: options.databaseURL) { channel in
            FileHandle.standardError.write(Data("listening \(channel.localAddress?.port ?? port) pid \(getpid())\n".utf8))
        }
        try await app.runService()
    }

    /// Server on an ephemeral port and client in this process; the server stops after the run.
    static func inProcess(options: BenchmarkOptions) async throws -> LoadResult {
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        let app = try EchoServer.makeApplication(port: 0, logLevel: options.logLevel, databaseURL: options.databaseURL) { channel in
            bound.yield(channel.localAddress?.port ?? 0)
            bound.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "bench-service-client")))
        return try await withThrowingTaskGroup(of: LoadResult?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw OptionError("the server did not start") }
            let result = try await LoadGenerator.run(port: port, options: options, serverCPU: nil)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}

import Foundation
import Logging

/// The command line: which half (or both) to run, and the load's shape.
struct BenchmarkOptions: Sendable {
    enum Mode: Sendable, Equatable {
        /// Server and client in this process (the default).
        case inProcess
        /// Only the server, on `port`, until SIGTERM or SIGINT.
        case serve(port: Int)
        /// Only the client, against a server on `port` (and that server's pid for its CPU).
        case client(port: Int, serverPID: Int32?)
        /// A bare swift-nio-http2 echo server on `port` (no Hummingbird, no ServiceKit): the floor.
        case serveBare(port: Int)
        /// A bare swift-nio-http2 client (no ServiceKit) against a server on `port`: the client's floor.
        case clientBare(port: Int, serverPID: Int32?)
        /// Print an identity token for h2load and exit.
        case printToken
    }

    var mode: Mode = .inProcess
    var concurrency = 64
    var warmup: Duration = .seconds(2)
    var duration: Duration = .seconds(10)
    /// `warning` keeps the access log quiet; `info` writes one JSON line per request, as production does.
    var logLevel: Logger.Level = .warning
    /// Any URL will do: the echo route never touches the database.
    var databaseURL = "postgres://bench:bench@127.0.0.1:5432/bench?sslmode=disable"

    static let usage = """
        usage: bench-service-client [options]                 server and client in one process
               bench-service-client --serve PORT [options]    server only, until SIGTERM/SIGINT
               bench-service-client --client PORT [--server-pid PID] [options]
               bench-service-client --client-bare PORT [--server-pid PID] [options]
                                                              bare swift-nio-http2 client (the client's floor)
               bench-service-client --serve-bare PORT         bare swift-nio-http2 echo server (the framework's floor)
               bench-service-client --print-token             X-Apex-Identity token (60 s) for h2load
        options: --concurrency N (64)  --warmup S (2)  --duration S (10)
                 --log-level LEVEL (warning; info writes the production access log to stdout)
                 --database-url URL (never connected to by the echo route)
        """

    init(arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw OptionError("\(flag) needs a value") }
            return next
        }
        func number(_ flag: String) throws -> Int {
            guard let parsed = Int(try value(flag)), parsed >= 0 else { throw OptionError("\(flag) needs a number") }
            return parsed
        }
        func seconds(_ flag: String) throws -> Duration {
            guard let parsed = Double(try value(flag)), parsed >= 0 else { throw OptionError("\(flag) needs seconds") }
            return .milliseconds(Int64(parsed * 1000))
        }
        var serverPID: Int32?
        while let flag = rest.popFirst() {
            switch flag {
            case "--serve": mode = .serve(port: try number(flag))
            case "--serve-bare": mode = .serveBare(port: try number(flag))
            case "--client": mode = .client(port: try number(flag), serverPID: nil)
            case "--client-bare": mode = .clientBare(port: try number(flag), serverPID: nil)
            case "--server-pid": serverPID = Int32(try number(flag))
            case "--print-token": mode = .printToken
            case "--concurrency": concurrency = max(1, try number(flag))
            case "--warmup": warmup = try seconds(flag)
            case "--duration": duration = try seconds(flag)
            case "--database-url": databaseURL = try value(flag)
            case "--log-level":
                guard let level = Logger.Level(rawValue: try value(flag)) else { throw OptionError("--log-level: unknown level") }
                logLevel = level
            case "--help", "-h": throw OptionError(Self.usage)
            default: throw OptionError("unknown option \(flag)\n\(Self.usage)")
            }
        }
        if case .client(let port, _) = mode { mode = .client(port: port, serverPID: serverPID) }
        if case .clientBare(let port, _) = mode { mode = .clientBare(port: port, serverPID: serverPID) }
    }
}

/// A command-line mistake, printed as is.
struct OptionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation

/// Command line of bench-memory (see Benchmarks/Memory/README.md).
struct BenchOptions {
    var databaseURL: String
    var pgBinDirectory: String?
    var pgDataDirectory: String?
    /// Run this apex-memory binary as a separate process instead of the service in-process.
    var serviceBinary: String?
    var rows = 100_000
    var clients = 16
    var duration = 20.0
    var warmup = 3.0
    var patchClients = 32
    var patchDuration = 10.0
    var pool = 16
    var port = 18480
    var steps: Set<String> = ["load", "search", "pgbench", "preferences"]

    static let usage = """
        usage: bench-memory --database-url URL [--pg-bindir DIR] [--pg-data DIR] [--service-binary PATH] [--rows N] [--clients N] [--duration S]
                            [--warmup S] [--patch-clients N] [--patch-duration S] [--pool N] [--port N]
                            [--only load,plans,search,pgbench,preferences]
        """

    init(arguments: [String]) throws {
        var databaseURL = ProcessInfo.processInfo.environment["BENCH_DATABASE_URL"]
        var iterator = arguments.makeIterator()
        func value(_ name: String) throws -> String {
            guard let value = iterator.next() else { throw BenchError("\(name) needs a value\n\(Self.usage)") }
            return value
        }
        func number<T: LosslessStringConvertible>(_ name: String) throws -> T {
            guard let number = T(try value(name)) else { throw BenchError("\(name) needs a number") }
            return number
        }
        while let argument = iterator.next() {
            switch argument {
            case "--database-url": databaseURL = try value(argument)
            case "--pg-bindir": pgBinDirectory = try value(argument)
            case "--pg-data": pgDataDirectory = try value(argument)
            case "--service-binary": serviceBinary = try value(argument)
            case "--rows": rows = try number(argument)
            case "--clients": clients = try number(argument)
            case "--duration": duration = try number(argument)
            case "--warmup": warmup = try number(argument)
            case "--patch-clients": patchClients = try number(argument)
            case "--patch-duration": patchDuration = try number(argument)
            case "--pool": pool = try number(argument)
            case "--port": port = try number(argument)
            case "--only": steps = Set(try value(argument).split(separator: ",").map(String.init))
            default: throw BenchError("unknown argument \(argument)\n\(Self.usage)")
            }
        }
        guard let databaseURL else { throw BenchError("--database-url (or BENCH_DATABASE_URL) is required\n\(Self.usage)") }
        self.databaseURL = databaseURL
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `--name value` pairs of the command line.
struct BenchOptions {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is required" }
    }

    private let values: [String: String]

    init(_ arguments: ArraySlice<String>) {
        var values: [String: String] = [:]
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            if name.hasPrefix("--"), let value = iterator.next() { values[name] = value }
        }
        self.values = values
    }

    func value(_ name: String) -> String? { values[name] }

    func string(_ name: String) throws -> String {
        guard let value = values[name] else { throw Missing(name: name) }
        return value
    }

    func int(_ name: String) throws -> Int {
        guard let value = values[name].flatMap(Int.init) else { throw Missing(name: name) }
        return value
    }
}

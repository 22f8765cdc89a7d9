/// A value as ``JSONBodyEncoder`` builds it, before it is written out as bytes.
///
/// Objects and arrays are reference types so a container handed out by the encoder keeps
/// writing into the value its parent already holds (the `Encoder` protocol hands out containers
/// and never gives them back).
enum EncodedJSON {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case float(Float)
    /// A number already spelled out (a `Decimal`).
    case number(String)
    case string(String)
    case array(EncodedArray)
    case object(EncodedObject)
    /// The value of an encoder handed out by `superEncoder()`, read when the bytes are written.
    case deferred(JSONBodyEncoder)
}

/// The elements of a JSON array being encoded.
final class EncodedArray {
    var elements: [EncodedJSON] = []
}

/// The members of a JSON object being encoded, in the order they were first encoded.
///
/// A key encoded twice keeps its first position and takes the last value (what a dictionary
/// would do). Small objects find keys by a linear scan; larger ones build an index once.
final class EncodedObject {
    private(set) var keys: [String] = []
    private(set) var values: [EncodedJSON] = []
    private var index: [String: Int]?

    private static let indexThreshold = 16

    func set(_ key: String, _ value: EncodedJSON) {
        if let position = position(of: key) {
            values[position] = value
            return
        }
        keys.append(key)
        values.append(value)
        if index != nil {
            index![key] = keys.count - 1
        } else if keys.count > Self.indexThreshold {
            var built: [String: Int] = [:]
            built.reserveCapacity(keys.count * 2)
            for (position, key) in keys.enumerated() where built[key] == nil { built[key] = position }
            index = built
        }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }
}

/// A JSON document as ``JSONParser`` reads it, before ``JSONBodyDecoder`` turns it into types.
///
/// Numbers keep their text, so an integer is read exactly as written (no detour through
/// `Double`) and each type decides what it accepts.
enum ParsedJSON {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([ParsedJSON])
    case object(ParsedObject)

    /// How a type-mismatch error names what was found, as Foundation's decoder does.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "a string"
        case .array: "an array"
        case .object: "a dictionary"
        }
    }
}

/// The members of a parsed JSON object, in document order.
///
/// When a key appears twice the first one counts, as in Foundation's decoder. Small objects
/// (every contract type) are searched linearly; a large one (user metadata) builds an index the
/// first time it is searched.
final class ParsedObject {
    let keys: [String]
    let values: [ParsedJSON]
    private var index: [String: Int]?

    private static let indexThreshold = 16

    init(keys: [String], values: [ParsedJSON]) {
        self.keys = keys
        self.values = values
    }

    func value(for key: String) -> ParsedJSON? {
        if keys.count <= Self.indexThreshold {
            return keys.firstIndex(of: key).map { values[$0] }
        }
        if index == nil {
            var built: [String: Int] = [:]
            built.reserveCapacity(keys.count)
            for (position, key) in keys.enumerated() where built[key] == nil { built[key] = position }
            index = built
        }
        return index![key].map { values[$0] }
    }
}

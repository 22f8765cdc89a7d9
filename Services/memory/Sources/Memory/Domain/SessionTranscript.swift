import ApexProtocol
import Foundation

/// The text of a completed session that the memory scan reads: its query, then every string
/// found in its `node_outputs` (object members in key order, so the same session always reads
/// the same way).
struct SessionTranscript: Sendable, Equatable {
    var sessionID: String
    var query: String
    var outputs: [String]

    init(sessionID: String, query: String, nodeOutputs: JSONValue) {
        self.sessionID = sessionID
        self.query = query
        var outputs: [String] = []
        Self.collectStrings(of: nodeOutputs, into: &outputs)
        self.outputs = outputs
    }

    /// The query and the outputs, one per paragraph.
    var text: String {
        ([query] + outputs).filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    private static func collectStrings(of value: JSONValue, into strings: inout [String]) {
        switch value {
        case .string(let string):
            let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { strings.append(trimmed) }
        case .array(let elements):
            for element in elements { collectStrings(of: element, into: &strings) }
        case .object(let members):
            for key in members.keys.sorted() { collectStrings(of: members[key]!, into: &strings) }
        case .null, .bool, .number:
            break
        }
    }
}

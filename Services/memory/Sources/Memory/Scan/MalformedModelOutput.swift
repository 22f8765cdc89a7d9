/// A language model answered, but not with the JSON list of memories it was asked for.
struct MalformedModelOutput: Error, CustomStringConvertible, Equatable {
    let reason: String
    var description: String { "malformed model output: \(reason)" }
}

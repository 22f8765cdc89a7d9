/// The small JSON contract the benchmark sends: about the size of a typical internal call's body.
struct EchoMessage: Codable, Sendable {
    var message: String
    var sequence: Int
    var tags: [String]
}

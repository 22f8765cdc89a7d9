import Hummingbird

/// What the echo route answers: the decoded message re-encoded, plus what the server saw, so the
/// client can check every answer really travelled over HTTP/2 and belongs to its request.
struct EchoReply: Codable, Sendable, ResponseEncodable {
    var message: String
    var sequence: Int
    var tags: [String]
    var user: String
    var httpVersion: String
}

import ApexProtocol
import AsyncHTTPClient
import Foundation
import NIOCore

/// One JSON POST to a language model's API, with the errors sorted the way the scan needs
/// them: transport failures and error statuses make the model unavailable (the scan stops);
/// 400/413/422 refuse this session's request (recorded for the session); a 2xx whose body is
/// not JSON is malformed output (recorded for the session).
struct LanguageModelHTTP: Sendable {
    let client: HTTPClient
    let timeout: Duration
    /// Answers larger than this are not a list of memories.
    static let maximumResponseBytes = 4 << 20

    func post(_ url: String, headers: [(String, String)] = [], body: JSONValue) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: try ApexJSON.encode(body)))

        let status: UInt
        let bytes: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: Self.timeAmount(timeout))
            status = response.status.code
            bytes = try await response.body.collect(upTo: Self.maximumResponseBytes)
        } catch {
            throw LanguageModelUnavailable(reason: "\(URL(string: url)?.host ?? "the model"): \(error)")
        }
        switch status {
        case 200..<300: break
        case 400, 413, 422: throw LanguageModelRefusedSession(status: Int(status))
        default: throw LanguageModelUnavailable(reason: "HTTP \(status) from \(URL(string: url)?.host ?? "the model")")
        }
        do {
            return try ApexJSON.decode(JSONValue.self, from: Data(buffer: bytes))
        } catch {
            throw MalformedModelOutput(reason: "the API's answer is not JSON")
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

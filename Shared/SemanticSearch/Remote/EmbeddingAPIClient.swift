import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Posts one JSON body to a remote embeddings endpoint: a deadline per attempt, retries with
/// backoff on 429, 5xx, timeouts and connection errors, and errors that never carry the key.
///
/// Every call goes through one process-wide `HTTPClient` (`sharedHTTPClient`), so connections (and HTTP/2
/// sessions to Google) are pooled across embedders and requests; nothing here creates clients.
struct EmbeddingAPIClient: Sendable {
    /// `gemini/<model>` or `openai/<model>`: the prefix of every error and log line.
    let provider: String
    /// Authentication and any other fixed headers of the provider.
    let headers: HTTPHeaders
    /// The API key, removed from any server text before it reaches an error or a log.
    let secret: String?
    let timeout: Duration
    let retry: RetrySchedule
    let logger: Logger

    /// Largest answer accepted: 256 vectors of 4096 floats as JSON stay well below it.
    static let maxResponseBytes = 64 << 20

    /// What one attempt came to.
    private enum Outcome {
        case answered(Data)
        case transient(problem: String, retryAfter: Duration?)
    }

    /// The body of a 2xx answer; throws `RemoteEmbedderError` for everything else.
    func post(_ url: String, body: Data) async throws -> Data {
        var attempt = 1
        while true {
            switch try await attemptOnce(url, body: body) {
            case .answered(let data):
                return data
            case .transient(let problem, let retryAfter):
                guard attempt < retry.maxAttempts else {
                    throw RemoteEmbedderError.gaveUp(provider: provider, attempts: attempt, lastProblem: problem)
                }
                guard let wait = retry.delay(after: attempt, retryAfter: retryAfter) else {
                    throw RemoteEmbedderError.gaveUp(
                        provider: provider, attempts: attempt,
                        lastProblem: "\(problem); the server asked to wait longer than \(Self.text(retry.maxRetryAfter))")
                }
                logger.warning(
                    "remote embedding call failed, retrying",
                    metadata: [
                        "provider": "\(provider)", "attempt": "\(attempt)", "problem": "\(problem)",
                        "retry_in_ms": "\(Self.milliseconds(wait))",
                    ])
                try await Task.sleep(for: wait)
                attempt += 1
            }
        }
    }

    private func attemptOnce(_ url: String, body: Data) async throws -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.headers.replaceOrAdd(name: "content-type", value: "application/json")
        request.headers.replaceOrAdd(name: "accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = NIODeadline.now() + .nanoseconds(Self.nanoseconds(timeout))
        let status: Int
        let buffer: ByteBuffer
        let retryAfter: String?
        do {
            let response = try await Self.sharedHTTPClient.execute(request, deadline: deadline, logger: logger)
            status = Int(response.status.code)
            retryAfter = response.headers.first(name: "retry-after")
            buffer = try await response.body.collect(upTo: Self.maxResponseBytes)
        } catch is NIOTooManyBytesError {
            throw RemoteEmbedderError.malformedResponse(provider: provider, reason: "the answer exceeds \(Self.maxResponseBytes >> 20) MiB")
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            if let clientError = error as? HTTPClientError, clientError == .deadlineExceeded {
                return .transient(problem: "no answer within \(Self.milliseconds(timeout)) ms (EMBEDDING_TIMEOUT_MS)", retryAfter: nil)
            }
            return .transient(problem: "connection error: \(redacted(String(describing: error)))", retryAfter: nil)
        }
        if (200..<300).contains(status) {
            return .answered(Data(buffer.readableBytesView))
        }
        let message = serverMessage(buffer)
        if status == 429 || (500...599).contains(status) {
            return .transient(
                problem: "HTTP \(status)" + (message.isEmpty ? "" : ": \(message)"),
                retryAfter: RetryAfterHeader.delay(retryAfter))
        }
        throw RemoteEmbedderError.rejected(provider: provider, status: status, message: message)
    }

    /// The human part of an error answer (`{"error":{"message":…}}` for Google and OpenAI,
    /// `{"error":"…"}` for some compatible servers, else the start of the body), on one short line.
    private func serverMessage(_ buffer: ByteBuffer) -> String {
        let data = Data(buffer.readableBytesView)
        var text = String(decoding: data, as: UTF8.self)
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                text = message
            } else if let message = object["error"] as? String {
                text = message
            } else if let message = object["message"] as? String {
                text = message
            }
        }
        let line = redacted(text).split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }

    private func redacted(_ text: String) -> String {
        guard let secret, !secret.isEmpty else { return text }
        return text.replacingOccurrences(of: secret, with: "[redacted]")
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    static func milliseconds(_ duration: Duration) -> Int64 { nanoseconds(duration) / 1_000_000 }

    private static func text(_ duration: Duration) -> String { "\(milliseconds(duration)) ms" }
}

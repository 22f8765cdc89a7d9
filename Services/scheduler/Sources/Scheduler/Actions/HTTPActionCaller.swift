import ApexProtocol
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ServiceKit

/// Runs `http` actions: the host must be allowed at the moment of the call, redirects are never
/// followed (the client is built with `redirectConfiguration: .disallow`, and a 3xx is a failed
/// attempt), and the call is bounded in time (`JOB_HTTP_TIMEOUT_MS`, connect to last byte) and in
/// size (`JOB_HTTP_MAX_RESPONSE_BYTES`).
struct HTTPActionCaller: Sendable {
    let client: HTTPClient
    let allowList: HTTPHostAllowList
    let timeout: Duration
    let maxResponseBytes: Int

    func call(url: String, method: HTTPMethodName, body: JSONValue?) async -> AttemptOutcome {
        if let refusal = allowList.refusal(for: url) {
            return .permanent("action.url \(refusal)")
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers.add(name: "User-Agent", value: "apex-scheduler")
        if let body, let data = try? ApexJSON.encode(body) {
            request.body = .bytes(ByteBuffer(bytes: data))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        return await BoundedHTTPCall(client: client, timeout: timeout, maxResponseBytes: maxResponseBytes).perform(
            request, describing: "the URL")
    }
}

/// One outbound HTTP/1.1 call with a deadline over the whole exchange and a cap on the answer.
struct BoundedHTTPCall: Sendable {
    let client: HTTPClient
    let timeout: Duration
    let maxResponseBytes: Int

    /// `.succeeded({"status": 200, "body": …})` for a 2xx; every other answer, timeout or
    /// connection failure is a retryable failure saying which.
    func perform(_ request: HTTPClientRequest, describing target: String) async -> AttemptOutcome {
        let client = self.client
        let limit = maxResponseBytes
        let timeAmount = TimeAmount.nanoseconds(Int64(timeout / .nanoseconds(1)))
        do {
            return try await withDeadline(timeout) {
                let response = try await client.execute(request, timeout: timeAmount)
                let status = Int(response.status.code)
                if (300..<400).contains(status) {
                    let location = response.headers.first(name: "location") ?? "nowhere"
                    return .retryable("\(target) answered \(status), a redirect to \(location), which is not followed")
                }
                let bytes: ByteBuffer
                do {
                    bytes = try await response.body.collect(upTo: limit)
                } catch is NIOTooManyBytesError {
                    return .retryable("\(target) answered more than \(limit) bytes")
                }
                guard (200..<300).contains(status) else {
                    return .retryable("\(target) answered \(status)")
                }
                return .succeeded(["status": .number(Double(status)), "body": JSONValue.body(Array(buffer: bytes))])
            }
        } catch is DeadlineExceeded {
            return .retryable("\(target) did not answer within \(timeout)")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .retryable("\(target) did not answer within \(timeout)")
        } catch is CancellationError {
            return .retryable("the call was cancelled")
        } catch {
            return .retryable("calling \(target) failed: \(Self.describe(error))")
        }
    }

    /// A short, log-safe description of a transport error (no request contents).
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

import ApexProtocol
import Foundation
import HTTPTypes
import Logging
import NIOCore
import ServiceKit

/// Forwards the common request — an authenticated GET of a backend's path, over HTTP/2 or
/// HTTP/1.1 — from the client's connection to the backend's, on one event loop, with no task and
/// no router.
///
/// Through the router such a request crossed threads four times and took 82–88 µs of the
/// gateway's CPU, and at 64 requests in flight the gateway added 2.7–2.8 ms to the p50; a bare
/// swift-nio-http2 relay forwards it for 29–33 µs and adds 0.1–0.4 ms. This way the gateway spent
/// 45–50 µs in session 13, and about 40 µs since session 14 (the answer handed back through a
/// closure, the server's own header checks): Benchmarks/Gateway/README.md.
///
/// It takes a request only when the answer is exactly the router's:
/// - `GET` under `/api/v1/` that a backend owns, without `Origin` (CORS stays with the router);
/// - a bearer token already verified and not expired (or `AUTH_DISABLED=1`);
/// - the user's bucket has a token (a refusal is the router's: 429, audit row);
/// - the backend's circuit is closed.
///
/// Everything else goes through the router as before: other methods and bodies, unknown paths,
/// tokens seen for the first time, refusals, an open or half-open circuit. The answer carries the
/// same headers as the router's: the backend's forwarded ones, the rate-limit headers, the
/// security headers; a failed call is the same problem (503, or 504 at the deadline), counted by
/// the breaker the same way. `ForwardingShortcutTests` compares the two.
struct ForwardingShortcut: HTTPShortcut {
    let upstreams: Upstreams
    /// nil when `AUTH_DISABLED=1`.
    let verifier: FirebaseTokenVerifier?
    let userLimits: TokenBucketLimiter
    let strictTransportSecurity: Bool
    /// Counts a request forwarded this way (`apex_shortcut_forwards_total`).
    let countForward: @Sendable () -> Void

    func answer(
        _ request: HTTPRequest, requestID: String, trace: TraceContext, logger: Logger, on eventLoop: any EventLoop,
        reply: @escaping @Sendable (HTTPShortcutAnswer) -> Void
    ) -> Bool {
        guard request.method == .get, let target = request.path, target.hasPrefix("/api/v1/"),
            !request.headerFields.contains(.origin)
        else { return false }
        let path: Substring
        var upstreamPath: String
        if let question = target.firstIndex(of: "?") {
            path = target[..<question]
            // As the router's forward: an empty query is dropped.
            upstreamPath = target.index(after: question) == target.endIndex ? String(path) : target
        } else {
            path = target[...]
            upstreamPath = target
        }
        guard case .matched(let endpoint, _) = APIEndpoints.match(method: .get, path: String(path)), endpoint.service != .gateway,
            let user = knownUser(request),
            let forwarder = upstreams.forwarder(to: endpoint.service, on: eventLoop)
        else { return false }
        let decision = userLimits.take(TokenBucketLimiter.key(for: user))
        // Refused, the bucket is unchanged: the router's own take refuses the same way.
        guard decision.allowed else { return false }
        countForward()

        var call = UpstreamRequest(
            method: .get, path: upstreamPath, headers: ProxyController.upstreamHeaders(of: request.headerFields), subject: user.id,
            trace: trace, requestID: requestID)
        call.runsToCompletion = true
        let rateHeaders = userLimits.headers(after: decision)
        let strictTransportSecurity = self.strictTransportSecurity
        let userID = user.id
        forwarder.send(call) { result in
            var head: HTTPResponse
            let body: ByteBuffer
            switch result {
            case .success(let answer):
                // Room for the 3 rate-limit, up to 5 security, and request id, date and server fields.
                head = HTTPResponse(status: answer.status, headerFields: ProxyController.answerHeaders(of: answer, extraCapacity: 11))
                head.headerFields.append(contentsOf: rateHeaders)
                body = answer.body
            case .failure(let error):
                // As through the router: the problem, without the rate-limit headers (the edge
                // adds those only to answers).
                var logger = logger
                logger[metadataKey: "request_id"] = .string(requestID)
                logger[metadataKey: "trace_id"] = .string(trace.traceID)
                (head, body) = ProblemResponse.answer(ProblemResponse.apiError(for: error, logger: logger), traceID: trace.traceID)
            }
            SecurityHeaders.apply(to: &head.headerFields, strictTransportSecurity: strictTransportSecurity)
            reply(HTTPShortcutAnswer(route: ProxyController.route, userID: userID, head: head, body: body))
        }
        return true
    }

    /// The user of a token verified before, or the development user; nil when the token is
    /// missing, malformed or new (the router verifies it, and refuses it with an audit row).
    private func knownUser(_ request: HTTPRequest) -> AuthenticatedUser? {
        guard let verifier else { return .development }
        guard let header = request.headerFields.value(of: .authorization), let token = BearerCredentials.token(in: header) else {
            return nil
        }
        return verifier.alreadyVerified(token)
    }
}

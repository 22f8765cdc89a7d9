import ApexProtocol
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit

/// Forwards every `/api/v1` path the gateway does not answer itself to the backend that owns it.
///
/// The body is read once (bounded by `MAX_BODY_BYTES`) and sent on as one buffer; the answer comes
/// back the same way — never buffered whole more than once in each direction. The user's identity
/// travels as a fresh internal identity token; the client's `Authorization` never leaves the gateway.
struct ProxyController: Sendable {
    let upstreams: Upstreams
    let maxBodyBytes: Int

    /// Request headers worth passing to a backend (everything else is the gateway's business).
    static let forwardedRequestHeaders: [HTTPField.Name] = [.contentType, .accept, .acceptLanguage, .ifMatch, .ifNoneMatch]
    /// Response headers a backend may set for the client. (No `WWW-Authenticate`: a backend's only
    /// 401 is a refusal of the gateway's identity, which the client gets as 503, `Upstreams`.)
    static let forwardedResponseHeaders: [HTTPField.Name] = [.contentType, .location, .retryAfter, .allow, .eTag]

    func register(on router: Router<ApexRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on(RouterPath(Self.route), method: method) { request, context in try await forward(request, context: context) }
        }
    }

    func forward(_ request: Request, context: ApexRequestContext) async throws -> Response {
        let path = request.uri.path
        guard let method = HTTPMethodName(rawValue: request.method.rawValue) else { throw APIError.notFound("resource") }
        let endpoint: Endpoint
        switch APIEndpoints.match(method: method, path: path) {
        case .matched(let matched, _):
            endpoint = matched
        case .methodNotAllowed(let allowed):
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            throw APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on this path", headers: [.allow: allow])
        case .notFound:
            throw APIError(.notFound, "no resource at \(request.method.rawValue) \(path)")
        }
        guard endpoint.service != .gateway else { throw APIError(.notFound, "no resource at \(request.method.rawValue) \(path)") }
        let headers = Self.upstreamHeaders(of: request.headers)
        var body: ByteBuffer?
        if request.method != .get, request.method != .delete || request.headers.contains(.contentLength) {
            let collected = try await request.body.collect(upTo: maxBodyBytes)
            if collected.readableBytes > 0 { body = collected }
        }
        var upstreamPath = path
        if let query = request.uri.query, !query.isEmpty { upstreamPath += "?" + query }
        let upstream = UpstreamRequest(
            method: request.method, path: upstreamPath, headers: headers, body: body, subject: try context.userID(),
            trace: context.trace, requestID: context.requestID)
        let response = try await upstreams.send(upstream, to: endpoint.service)
        return Response(status: response.status, headers: Self.answerHeaders(of: response), body: .init(byteBuffer: response.body))
    }

    /// The client's headers a backend gets.
    static func upstreamHeaders(of fields: HTTPFields) -> HTTPFields {
        var headers = HTTPFields()
        for name in forwardedRequestHeaders { if let value = fields.value(of: name) { headers[name] = value } }
        return headers
    }

    /// The backend's headers the client gets, and the body's length; room for `extraCapacity`
    /// more (the edge's), so that adding them does not grow the storage again.
    static func answerHeaders(of response: UpstreamResponse, extraCapacity: Int = 0) -> HTTPFields {
        var headers = HTTPFields()
        headers.reserveCapacity(forwardedResponseHeaders.count + 1 + extraCapacity)
        for name in forwardedResponseHeaders { if let value = response.headers.value(of: name) { headers[name] = value } }
        headers.append(HTTPField(name: .contentLength, value: String(response.body.readableBytes)))
        return headers
    }

    /// The route every forwarded request is counted under (metrics, access log).
    static let route = "/api/v1/**"
}

import HTTPTypes
import NIOHPACK

/// HTTP-types messages as HTTP/2 header blocks, and back, for the handlers that write and read
/// HTTP/2 frames themselves (``HTTP2StreamResponder``, ``HTTP2StreamResponseWriter``,
/// ``UpstreamExchange``; the service client builds its requests' blocks itself,
/// `ServiceClient.headerBlock(for:)`).
///
/// swift-nio-extras' HTTP-types codec does the same conversions but only behind its channel
/// handler, which ends every message with a DATA frame of its own: HEADERS, DATA, then an empty
/// DATA carrying END_STREAM. Writing the frames directly, a small message is HEADERS and one DATA
/// frame with END_STREAM (a GET, or an answer without a body: HEADERS alone), so each call costs
/// both sides one frame less to encode, account for in flow control, decode and deliver.
extension HPACKHeaders {
    /// The header block of `response`: `:status`, then its fields.
    init(response: HTTPResponse) {
        self.init()
        reserveCapacity(response.headerFields.count + 1)
        add(response.pseudoHeaderFields.status)
        for field in response.headerFields { add(field) }
    }

    /// A trailer block.
    init(trailers: HTTPFields) {
        self.init()
        reserveCapacity(trailers.count)
        for field in trailers { add(field) }
    }

    /// Adds `field`, keeping what it asks of HPACK's dynamic table (a per-request value such as
    /// `x-request-id` is set to avoid it, a credential to never enter it).
    mutating func add(_ field: HTTPField) {
        let indexing: HPACKIndexing =
            switch field.indexingStrategy {
            case .avoid: .nonIndexable
            case .disallow: .neverIndexed
            default: .indexable
            }
        add(name: field.name.canonicalName, value: field.value, indexing: indexing)
    }
}

extension HTTPResponse {
    /// Reads a response header block, or nil when it is not one: no `:status` of three digits, a
    /// pseudo-header field other than `:status` or after a regular field, or an illegal name.
    /// Values are legalized as `HTTPField` does.
    init?(headerBlock headers: HPACKHeaders) {
        var status: Int?
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count)
        for (name, value, indexing) in headers {
            if name.utf8.first == UInt8(ascii: ":") {
                guard name == ":status", status == nil, fields.isEmpty, value.utf8.count == 3, let code = Int(value), code >= 100
                else { return nil }
                status = code
                continue
            }
            guard let fieldName = HTTPField.Name(name) else { return nil }
            var field = HTTPField(name: fieldName, value: value)
            field.indexingStrategy = indexing == .neverIndexed ? .disallow : indexing == .nonIndexable ? .avoid : .automatic
            fields.append(field)
        }
        guard let status else { return nil }
        self.init(status: .init(code: status), headerFields: fields)
    }
}

extension HTTPRequest {
    /// Reads a request header block, or nil when it is malformed (RFC 9113 §8.2, §8.3): a field
    /// name that is not a lowercase token; a value with NUL, CR or LF; a connection-specific
    /// field, or `te` other than `trailers`; a pseudo-header field repeated, unknown, after a
    /// regular field, or whose value holds a control or a space; no `:method`, or one that is not a
    /// token; `:scheme` or a non-empty `:path` missing (or, for CONNECT, present, with
    /// `:authority` missing); `:protocol` unless the server offers extended CONNECT (RFC 8441).
    /// Values are then legalized as `HTTPField` does.
    ///
    /// This is the servers' whole check of what a client sends: their NIOHTTP2 handlers do not
    /// validate header blocks (``HTTP2StreamServer``, ``HTTP2FieldSyntax``).
    init?(headerBlock headers: HPACKHeaders, supportsExtendedConnect: Bool = false) {
        var method: String?
        var scheme: String?
        var authority: String?
        var path: String?
        var extendedConnectProtocol: String?
        var fields = HTTPFields()
        // One more for the HTTP version the server adds (``HTTPVersionHeader``).
        fields.reserveCapacity(headers.count + 1)
        for (name, value, indexing) in headers {
            if name.utf8.first == UInt8(ascii: ":") {
                guard fields.isEmpty, HTTP2FieldSyntax.isPseudoHeaderValue(value) else { return nil }
                switch name {
                case ":method" where method == nil: method = value
                case ":scheme" where scheme == nil: scheme = value
                case ":authority" where authority == nil: authority = value
                case ":path" where path == nil: path = value
                case ":protocol" where extendedConnectProtocol == nil && supportsExtendedConnect: extendedConnectProtocol = value
                default: return nil
                }
                continue
            }
            guard HTTP2FieldSyntax.isRegularField(name: name, value: value), let fieldName = HTTPField.Name(name) else { return nil }
            var field = HTTPField(name: fieldName, value: value)
            field.indexingStrategy = indexing == .neverIndexed ? .disallow : indexing == .nonIndexable ? .avoid : .automatic
            fields.append(field)
        }
        guard let method = method.flatMap({ HTTPRequest.Method($0) }) else { return nil }
        // `:protocol` belongs to extended CONNECT only (RFC 8441 §4).
        if extendedConnectProtocol != nil && method != .connect { return nil }
        if method == .connect && extendedConnectProtocol == nil {
            guard authority != nil, scheme == nil, path == nil else { return nil }
        } else {
            guard scheme != nil, let path, !path.isEmpty else { return nil }
        }
        self.init(method: method, scheme: scheme, authority: authority, path: path, headerFields: fields)
        if let extendedConnectProtocol { self.extendedConnectProtocol = extendedConnectProtocol }
    }
}

extension HPACKHeaders {
    /// Whether a trailer block is well formed: no pseudo-header field, and the byte rules of
    /// ``HTTPRequest/init(headerBlock:supportsExtendedConnect:)`` for the rest.
    var isWellFormedTrailers: Bool {
        allSatisfy { HTTP2FieldSyntax.isRegularField(name: $0.name, value: $0.value) }
    }
}

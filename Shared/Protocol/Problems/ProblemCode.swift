/// The machine-readable error codes of the API, each tied to one HTTP status.
///
/// Clients branch on `code`, not on `title` or `detail`; the status is derived from the code so
/// the two can never disagree.
public enum ProblemCode: String, ContractEnum {
    case invalidRequest = "invalid_request"
    case unauthenticated
    case forbidden
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    case conflict
    case payloadTooLarge = "payload_too_large"
    case unsupportedMediaType = "unsupported_media_type"
    case rateLimited = "rate_limited"
    case `internal`
    case upstreamUnavailable = "upstream_unavailable"
    case upstreamTimeout = "upstream_timeout"

    /// The HTTP status this code is always sent with.
    public var status: Int {
        switch self {
        case .invalidRequest: 400
        case .unauthenticated: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .payloadTooLarge: 413
        case .unsupportedMediaType: 415
        case .rateLimited: 429
        case .internal: 500
        case .upstreamUnavailable: 503
        case .upstreamTimeout: 504
        }
    }

    /// A short, fixed, human-readable summary (RFC 9457 `title`): the same for every
    /// occurrence of the code; specifics go in `detail`.
    public var defaultTitle: String {
        switch self {
        case .invalidRequest: "Invalid request"
        case .unauthenticated: "Unauthenticated"
        case .forbidden: "Forbidden"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .conflict: "Conflict"
        case .payloadTooLarge: "Payload too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .rateLimited: "Too many requests"
        case .internal: "Internal error"
        case .upstreamUnavailable: "Upstream unavailable"
        case .upstreamTimeout: "Upstream timeout"
        }
    }

    /// The RFC 9457 `type` URI: `urn:apexflow:problem:<code>`.
    public var typeURI: String {
        ProblemDetails.typePrefix + rawValue
    }

    /// The code for an HTTP status, for answers that came without a problem body (a proxy's
    /// 502, a bare 404). Statuses without their own code map to the nearest one: other 4xx to
    /// `invalid_request`, 502 to `upstream_unavailable`, other 5xx to `internal`.
    public init(status: Int) {
        if let exact = Self.allCases.first(where: { $0.status == status }) {
            self = exact
        } else if status == 502 {
            self = .upstreamUnavailable
        } else if (400..<500).contains(status) {
            self = .invalidRequest
        } else {
            self = .internal
        }
    }
}

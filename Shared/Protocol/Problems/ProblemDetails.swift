/// An RFC 9457 problem, the body of every error answer (`application/problem+json`).
///
/// `type`, `title` and `status` follow from `code`; `detail` says what went wrong this time;
/// `trace_id` is the W3C trace id of the request so a user's report can be found in the logs.
/// A 5xx `detail` never carries SQL, stack traces or secrets.
public struct ProblemDetails: Sendable, Equatable {
    /// `Content-Type` of problem bodies.
    public static let mediaType = "application/problem+json"
    /// Prefix of every `type`: the code follows it.
    public static let typePrefix = "urn:apexflow:problem:"

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var code: ProblemCode
    public var traceID: String
    /// Present on validation problems only: one entry per invalid field.
    public var errors: [FieldError]?

    public init(
        type: String,
        title: String,
        status: Int,
        detail: String,
        code: ProblemCode,
        traceID: String,
        errors: [FieldError]? = nil
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.code = code
        self.traceID = traceID
        self.errors = errors
    }

    /// The usual way to build a problem: everything but `detail` follows from the code.
    /// Without a `detail`, the code's title is used.
    public init(code: ProblemCode, detail: String? = nil, traceID: String, errors: [FieldError]? = nil) {
        self.init(
            type: code.typeURI,
            title: code.defaultTitle,
            status: code.status,
            detail: detail ?? code.defaultTitle,
            code: code,
            traceID: traceID,
            errors: errors
        )
    }

    /// A 400 `invalid_request` listing every invalid field; `detail` summarises them.
    public init(validationFailure: ValidationFailure, traceID: String) {
        let summary = validationFailure.errors.map(\.description).joined(separator: "; ")
        self.init(
            code: .invalidRequest,
            detail: summary.isEmpty ? "The request is invalid." : "Invalid fields: \(summary)",
            traceID: traceID,
            errors: validationFailure.errors
        )
    }
}

extension ProblemDetails: Codable {
    enum CodingKeys: String, CodingKey {
        case type
        case title
        case status
        case detail
        case code
        case traceID = "trace_id"
        case errors
    }

    /// Tolerant of a missing `detail` (falls back to `title`), strict on `code`, so that a
    /// problem relayed from a backend keeps its meaning.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(ProblemCode.self, forKey: .code)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? code.typeURI
        title = try container.decodeIfPresent(String.self, forKey: .title) ?? code.defaultTitle
        status = try container.decodeIfPresent(Int.self, forKey: .status) ?? code.status
        detail = try container.decodeIfPresent(String.self, forKey: .detail) ?? title
        traceID = try container.decodeIfPresent(String.self, forKey: .traceID) ?? ""
        errors = try container.decodeIfPresent([FieldError].self, forKey: .errors)
    }

    /// `errors` is written only when present, as API.md shows ("validation errors add …").
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encode(code, forKey: .code)
        try container.encode(traceID, forKey: .traceID)
        try container.encodeIfPresent(errors, forKey: .errors)
    }
}

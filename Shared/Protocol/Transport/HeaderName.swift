/// Header names the services agree on, spelled once.
///
/// HTTP header names are case-insensitive; these are the canonical spellings used when
/// writing. Compare case-insensitively when reading.
public enum HeaderName {
    /// The request id: echoed on every response, generated when missing or invalid
    /// (valid: `TokenPattern.requestID`).
    public static let requestID = "X-Request-ID"
    /// The internal identity token (HS256 JWT) a backend requires from its caller.
    public static let apexIdentity = "X-Apex-Identity"
    /// W3C Trace Context: accepted and propagated.
    public static let traceparent = "traceparent"
    /// W3C Trace Context vendor state, propagated alongside `traceparent`.
    public static let tracestate = "tracestate"
    /// Whole seconds to wait, on 429 and 503 answers.
    public static let retryAfter = "Retry-After"
    /// IETF RateLimit header fields: the quota, what is left of it, and seconds until it resets.
    public static let rateLimitLimit = "RateLimit-Limit"
    public static let rateLimitRemaining = "RateLimit-Remaining"
    public static let rateLimitReset = "RateLimit-Reset"
    /// Sent with 405 answers: the methods the path allows.
    public static let allow = "Allow"
    /// Sent with 401 answers: `Bearer`.
    public static let wwwAuthenticate = "WWW-Authenticate"
}

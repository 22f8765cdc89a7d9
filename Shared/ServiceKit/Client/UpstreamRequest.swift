public import HTTPTypes
public import NIOCore

/// One request to another service, before identity and tracing headers are added.
public struct UpstreamRequest: Sendable {
    public var method: HTTPRequest.Method
    /// Path and query, e.g. `/api/v1/documents?limit=10`.
    public var path: String
    public var headers: HTTPFields
    public var body: ByteBuffer?
    /// The user the call acts for, or `system`.
    public var subject: String
    public var trace: TraceContext?
    public var requestID: String?
    /// Overrides the client's default deadline.
    public var timeout: Duration?
    /// When the calling task is cancelled, the call still runs to its answer or its deadline, and
    /// the caller waits for it, instead of resetting its stream. For a proxy, whose callers come
    /// and go: resets from many abandoned calls trip the upstream's HTTP/2 rapid-reset guard,
    /// which closes the connection under every call in flight on it.
    public var runsToCompletion = false

    public init(
        method: HTTPRequest.Method, path: String, headers: HTTPFields = [:], body: ByteBuffer? = nil,
        subject: String, trace: TraceContext? = nil, requestID: String? = nil, timeout: Duration? = nil
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.subject = subject
        self.trace = trace
        self.requestID = requestID
        self.timeout = timeout
    }

    /// Safe to send twice: a retry after a broken connection cannot do the work twice.
    var isIdempotent: Bool { [.get, .head, .put, .delete, .options].contains(method) }
}

/// A complete answer from another service.
public struct UpstreamResponse: Sendable {
    public var status: HTTPResponse.Status
    public var headers: HTTPFields
    public var body: ByteBuffer
}

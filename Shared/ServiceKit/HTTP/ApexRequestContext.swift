public import Hummingbird
public import NIOCore

/// The request context of every ApexFlow service.
///
/// Middleware fills it in order: the tracing middleware sets the request id and trace, the
/// identity middleware sets ``identity``; handlers read ``userID()``.
public struct ApexRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    public var trace: TraceContext = .init(traceID: "", spanID: "", sampled: false)
    /// The verified internal identity of the caller (nil before the identity middleware ran,
    /// and on health endpoints).
    public var identity: InternalIdentityClaims?
    /// The end user as the gateway authenticated them (Firebase ID token, or `default` when
    /// `AUTH_DISABLED=1`); nil in the backends, which know users only from ``identity``.
    public var authenticatedUser: AuthenticatedUser?
    /// `MAX_BODY_BYTES`, set by the tracing middleware from the service settings.
    public var maxUploadSize: Int = 10 * 1024 * 1024

    /// The peer of the TCP connection (for HTTP/2, shared by all its streams): the client IP for
    /// per-IP rate limits, and a connection identity in tests.
    public let clientAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress
    }

    public var requestDecoder: ApexRequestDecoder { ApexRequestDecoder() }
    public var responseEncoder: ApexResponseEncoder { ApexResponseEncoder() }

    /// The user the request acts for; throws 401 when the request carries no user identity.
    public func userID() throws -> String {
        if let authenticatedUser { return authenticatedUser.id }
        guard let identity, identity.sub != InternalIdentityClaims.systemSubject else {
            throw APIError(.unauthenticated, "this endpoint needs a user identity")
        }
        return identity.sub
    }
}

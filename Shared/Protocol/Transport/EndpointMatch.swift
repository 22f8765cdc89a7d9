/// The result of looking a request up in an `EndpointTable`.
public enum EndpointMatch: Sendable, Equatable {
    /// The endpoint that serves the request, with its path parameters (percent-decoded).
    case matched(Endpoint, parameters: [String: String])
    /// The path exists but not with this method: answer 405 with `Allow` set to `allowed`.
    case methodNotAllowed(allowed: [HTTPMethodName])
    /// No endpoint has this path: answer 404.
    case notFound

    /// The matched endpoint, if any.
    public var endpoint: Endpoint? {
        if case .matched(let endpoint, _) = self { return endpoint }
        return nil
    }
}

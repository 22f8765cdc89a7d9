public import ApexProtocol
public import HTTPTypes

extension HTTPField.Name {
    /// `X-Request-ID`.
    public static let xRequestID = HTTPField.Name(HeaderName.requestID)!
    /// W3C `traceparent`.
    public static let traceParent = HTTPField.Name(HeaderName.traceparent)!
    /// `X-Apex-Identity`: the internal identity token.
    public static let xApexIdentity = HTTPField.Name(HeaderName.apexIdentity)!
}

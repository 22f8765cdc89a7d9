import ApexProtocol
import HTTPTypes

/// The header names the gateway's edge sets on every answer, parsed once: `HTTPField.Name(_:)`
/// checks and lower-cases its string each time it is called.
extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let rateLimitLimit = HTTPField.Name(HeaderName.rateLimitLimit)!
    static let rateLimitRemaining = HTTPField.Name(HeaderName.rateLimitRemaining)!
    static let rateLimitReset = HTTPField.Name(HeaderName.rateLimitReset)!
}

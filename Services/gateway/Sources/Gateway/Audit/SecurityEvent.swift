import Foundation

/// One security-relevant refusal, as stored in `gateway.security_logs`.
struct SecurityEvent: Sendable {
    enum Kind: String, Sendable {
        case authFailed = "auth_failed"
        case forbidden
        case rateLimited = "rate_limited"
        case payloadTooLarge = "payload_too_large"
        case corsRejected = "cors_rejected"
    }

    let kind: Kind
    let occurredAt: Date
    let userID: String?
    let clientIP: String?
    let method: String
    let path: String
    let status: Int
    let detail: String
}

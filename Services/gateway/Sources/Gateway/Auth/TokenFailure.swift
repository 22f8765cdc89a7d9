/// Why an ID token was refused; the detail of the 401 and of the audit row.
enum TokenFailure: Error, Equatable, CustomStringConvertible {
    case missing, malformed, unsupportedAlgorithm, unknownKey, badSignature, wrongIssuer, wrongAudience, expired, issuedInFuture
    case missingSubject, reservedSubject

    var description: String {
        switch self {
        case .missing: "missing bearer token"
        case .malformed: "malformed token"
        case .unsupportedAlgorithm: "token algorithm must be RS256"
        case .unknownKey: "token signed with an unknown key"
        case .badSignature: "token signature does not verify"
        case .wrongIssuer: "token issuer is not this project"
        case .wrongAudience: "token audience is not this project"
        case .expired: "token expired"
        case .issuedInFuture: "token issued in the future"
        case .missingSubject: "token has no subject"
        case .reservedSubject: "token subject is reserved"
        }
    }
}

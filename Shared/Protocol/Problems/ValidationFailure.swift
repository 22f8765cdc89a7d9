/// A request that broke the contract's rules, carrying every broken rule at once so a client can
/// fix all of its fields in one round trip. Handlers turn it into a 400 `invalid_request` with
/// `ProblemDetails(validationFailure:traceID:)`.
public struct ValidationFailure: Error, Sendable, Equatable {
    public var errors: [FieldError]

    public init(errors: [FieldError]) {
        self.errors = errors
    }

    public init(_ error: FieldError) {
        self.errors = [error]
    }

    /// A body that did not decode, reported as the single field that made it fail.
    public init(decodingError: DecodingError) {
        self.errors = [FieldError(decodingError: decodingError)]
    }
}

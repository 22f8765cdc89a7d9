/// A request body whose rules are part of the contract.
///
/// Decoding checks shape (types, required keys); `validate()` checks the rules API.md states
/// (lengths, ranges, patterns) and returns every violation, so services answer the same 400 for
/// the same body and clients can validate before sending.
public protocol ContractValidatable {
    /// Every broken rule, with dotted field names; empty when the value is valid.
    func validate() -> [FieldError]
}

extension ContractValidatable {
    /// Whether `validate()` finds nothing wrong.
    public var isValid: Bool {
        validate().isEmpty
    }

    /// `self` when valid; otherwise throws every violation at once.
    public func validated() throws(ValidationFailure) -> Self {
        let errors = validate()
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        return self
    }
}

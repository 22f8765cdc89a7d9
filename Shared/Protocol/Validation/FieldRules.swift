/// Collects the violations of one request, with the contract's wording for each kind of rule.
///
/// Lengths count Unicode scalars, as PostgreSQL's `char_length` and most clients' `length` do,
/// so a limit means the same thing on every side.
struct FieldRules {
    private(set) var errors: [FieldError] = []

    mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// A required text of `range` characters.
    mutating func length(_ value: String, _ field: String, in range: ClosedRange<Int>) {
        let count = value.unicodeScalars.count
        if count < range.lowerBound {
            fail(field, range.lowerBound == 1 ? "must not be empty" : "must be at least \(range.lowerBound) characters")
        } else if count > range.upperBound {
            fail(field, "must be at most \(range.upperBound) characters")
        }
    }

    /// An optional text of `range` characters; nothing to check when absent.
    mutating func length(_ value: String?, _ field: String, in range: ClosedRange<Int>) {
        if let value { length(value, field, in: range) }
    }

    /// A required text that must not be empty (no upper bound in the contract).
    mutating func notEmpty(_ value: String, _ field: String) {
        if value.isEmpty { fail(field, "must not be empty") }
    }

    /// An optional number within `range`, bounds included.
    mutating func range<T: Comparable & Numeric>(_ value: T?, _ field: String, in range: ClosedRange<T>) {
        guard let value else { return }
        if !range.contains(value) {
            fail(field, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
    }

    /// An optional token that must match `pattern`.
    mutating func pattern(_ value: String?, _ field: String, _ pattern: TokenPattern) {
        guard let value else { return }
        if !pattern.matches(value) { fail(field, "must match \(pattern)") }
    }

    /// Violations of a nested object, named under `parent` (`action` + `url` → `action.url`).
    mutating func nested(_ nested: [FieldError], under parent: String) {
        errors.append(contentsOf: nested.map { $0.nested(under: parent) })
    }
}

/// The paging parameters every list endpoint takes: `?limit=` and `?cursor=`.
///
/// Parsing lives in the contract so every service applies the same default (50), range
/// (1–200) and wording to the same query string.
public struct ListQuery: Sendable, Hashable {
    public static let defaultLimit = 50
    public static let limitRange = 1...200

    public var limit: Int
    /// The opaque cursor of the previous page's `next_cursor`; the issuing service decodes it.
    public var cursor: String?

    public init(limit: Int = ListQuery.defaultLimit, cursor: String? = nil) {
        self.limit = limit
        self.cursor = cursor
    }

    /// Parses the raw query values. An empty `cursor=` means "first page".
    public init(limit rawLimit: String?, cursor rawCursor: String?) throws(ValidationFailure) {
        switch Self.parseLimit(rawLimit) {
        case .success(let limit): self.limit = limit
        case .failure(let error): throw ValidationFailure(error)
        }
        self.cursor = rawCursor.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `limit` from the query string: absent → 50; otherwise decimal digits only, 1–200.
    /// `+5`, ` 5`, `5.0` and `` (empty) are refused rather than guessed at.
    public static func parseLimit(_ raw: String?) -> Result<Int, FieldError> {
        guard let raw else { return .success(defaultLimit) }
        let message = "must be between \(limitRange.lowerBound) and \(limitRange.upperBound)"
        guard !raw.isEmpty, raw.utf8.count <= 9,
            raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let limit = Int(raw), limitRange.contains(limit)
        else { return .failure(FieldError(field: "limit", message: message)) }
        return .success(limit)
    }
}

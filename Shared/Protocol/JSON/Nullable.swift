/// A PATCH field's three states: left out, set to `null`, or set to a value.
///
/// `Optional` cannot tell `{}` from `{"model": null}`, yet for a PATCH they mean different
/// things: "leave the model alone" versus "clear the model". Types with such fields decode
/// them with `KeyedDecodingContainer.decodeNullable(_:forKey:)` and encode them with
/// `KeyedEncodingContainer.encodeNullable(_:forKey:)`, which writes nothing for `.absent`.
public enum Nullable<Wrapped> {
    /// The key was not in the body: keep the stored value.
    case absent
    /// The key was present with `null`: clear the stored value.
    case null
    /// The key was present with a value: store it.
    case value(Wrapped)

    /// `.value` for a non-nil optional, `.null` for nil: how a client says "set this to x or clear it".
    public init(_ optional: Wrapped?) {
        self = optional.map { .value($0) } ?? .null
    }

    /// Whether the body mentioned the field at all (as `null` or a value).
    public var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }

    /// The value to store when the field is present: `.some(nil)` clears, `.some(x)` sets,
    /// `nil` means "do not touch".
    public var update: Wrapped?? {
        switch self {
        case .absent: nil
        case .null: .some(nil)
        case .value(let value): .some(value)
        }
    }

    /// The value, when one was given.
    public var value: Wrapped? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// Transforms a present value, keeping `.absent` and `.null` as they are.
    public func map<T>(_ transform: (Wrapped) throws -> T) rethrows -> Nullable<T> {
        switch self {
        case .absent: .absent
        case .null: .null
        case .value(let value): .value(try transform(value))
        }
    }
}

extension Nullable: Sendable where Wrapped: Sendable {}
extension Nullable: Equatable where Wrapped: Equatable {}
extension Nullable: Hashable where Wrapped: Hashable {}

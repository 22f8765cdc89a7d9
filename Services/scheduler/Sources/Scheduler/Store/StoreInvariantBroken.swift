/// A statement did not do what its SQL guarantees (a bug, never a user error): a 500.
struct StoreInvariantBroken: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

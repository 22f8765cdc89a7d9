public import Foundation

extension UUID {
    /// The contract's spelling of an id: lowercase.
    public var lowercasedString: String { uuidString.lowercased() }
}

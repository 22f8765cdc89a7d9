/// A coder in a chain of nested coders, each knowing only its own key and its parent.
///
/// The coding path is built from the chain only when something asks for it (an error), not kept
/// as an array copied into every nested container: see ``JSONBodyEncoder`` and ``JSONBodyDecoder``.
protocol CodingPathNode: AnyObject {
    var key: (any CodingKey)? { get }
    var parent: Self? { get }
}

extension CodingPathNode {
    /// The keys from the root to this coder.
    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: Self? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }
}

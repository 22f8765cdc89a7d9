/// A verified token as a dictionary key: equal when the whole tokens are equal, hashed by their
/// last 32 bytes only.
///
/// A signed token ends with its signature, bytes nobody can choose without the signing key, so
/// the tail spreads verified tokens over the table as well as the whole token would. A forged
/// token that copies a real one's tail only lands in that one's bucket, and fails equality
/// there: the cache holds only tokens that verified (``VerifiedTokenCache``).
struct TokenKey: Hashable {
    let token: String

    init(_ token: String) {
        self.token = token
    }

    static func == (lhs: TokenKey, rhs: TokenKey) -> Bool { lhs.token == rhs.token }

    func hash(into hasher: inout Hasher) {
        let hashed = token.utf8.withContiguousStorageIfAvailable { bytes in
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(32))))
        }
        if hashed == nil { hasher.combine(token) }
    }
}

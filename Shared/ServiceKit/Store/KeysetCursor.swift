import Foundation

/// The opaque `cursor` of list endpoints: the sort key and id of the last row of a page.
///
/// Keyset pagination (`WHERE (sort_key, id) < ($1, $2)`) never skips or repeats a row when rows
/// are added meanwhile, and costs the same on page 1000 as on page 1. The sort key is an integer
/// (microseconds since the epoch for timestamps — exact, unlike a floating-point date — or a
/// position such as `chunk_index`). The cursor is base64url of `<key>.<id>`; anything the server
/// did not issue is answered 400 on field `cursor`.
public struct KeysetCursor: Sendable, Equatable {
    public var key: Int64
    public var id: String

    public init(key: Int64, id: String) {
        self.key = key
        self.id = id
    }

    public var encoded: String { Base64URL.encode(Data("\(key).\(id)".utf8)) }

    /// Decodes a client-supplied cursor; nil input means the first page.
    public static func decode(_ raw: String?) throws -> KeysetCursor? {
        guard let raw else { return nil }
        guard let data = Base64URL.decode(raw), let text = String(data: data, encoding: .utf8),
            let dot = text.firstIndex(of: "."), let key = Int64(text[..<dot])
        else {
            throw APIError.invalid("cursor", "is not a cursor this server issued")
        }
        let id = String(text[text.index(after: dot)...])
        guard !id.isEmpty, id.count <= 128 else { throw APIError.invalid("cursor", "is not a cursor this server issued") }
        return KeysetCursor(key: key, id: id)
    }
}

import ApexProtocol
import Foundation
import ServiceKit

/// The opaque `next_cursor` of a list: the sort key of the last row handed out.
///
/// Lists page by keyset (`(created_at, id) < cursor`), never by offset, so a page costs the
/// same at the millionth row as at the first and rows added meanwhile cause no gap or repeat.
/// The timestamp is kept as integer microseconds, PostgreSQL's own resolution: a `Date`
/// (a `Double`) cannot hold every microsecond of this century exactly, and an off-by-one
/// microsecond would skip or repeat a row. The list name is part of the cursor, so a cursor
/// of one list is refused by another.
struct PageCursor: Sendable, Equatable {
    /// Which list issued the cursor (`memories`, `sessions`, `chats`, `messages`).
    var list: String
    /// The sort timestamp of the last row, in microseconds since 1970.
    var microseconds: Int64
    /// The id of the last row (the tie-breaker).
    var id: String

    /// base64url (unpadded) of `list:microseconds:id`.
    var encoded: String {
        Data("\(list):\(microseconds):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a cursor this list issued; anything else is a 400 naming `cursor`.
    init(decoding text: String, list: String) throws(APIError) {
        let refusal = APIError.invalid("cursor", "is not a cursor this list issued")
        guard text.utf8.count <= 512 else { throw refusal }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { throw refusal }
        switch base64.utf8.count % 4 {
        case 2: base64 += "=="
        case 3: base64 += "="
        case 1: throw refusal
        default: break
        }
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else { throw refusal }
        let parts = decoded.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == list, let microseconds = Int64(parts[1]), !parts[2].isEmpty else { throw refusal }
        self.init(list: list, microseconds: microseconds, id: String(parts[2]))
    }

    init(list: String, microseconds: Int64, id: String) {
        self.list = list
        self.microseconds = microseconds
        self.id = id
    }

    /// The page's cursor, when a row beyond `limit` was fetched (queries ask for `limit + 1`).
    static func next<Row>(after rows: [Row], limit: Int, list: String, key: (Row) -> (Int64, String)) -> String? {
        guard rows.count > limit else { return nil }
        let (microseconds, id) = key(rows[limit - 1])
        return PageCursor(list: list, microseconds: microseconds, id: id).encoded
    }
}

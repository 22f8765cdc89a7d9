public import Foundation
public import ServiceKit

/// Where a page starts: after the row with this sort key (its timestamp in whole microseconds —
/// PostgreSQL's resolution, so no rounding can skip or repeat a row) and id. It travels as
/// ServiceKit's opaque `KeysetCursor`.
public struct ListPosition: Sendable, Equatable {
    public let microseconds: Int64
    public let id: UUID

    public init(microseconds: Int64, id: UUID) {
        self.microseconds = microseconds
        self.id = id
    }

    /// `nil` when the cursor's id is not one of ours (a cursor this server did not issue).
    public init?(_ cursor: KeysetCursor) {
        guard let id = UUID(uuidString: cursor.id), id.lowercasedString == cursor.id else { return nil }
        self.init(microseconds: cursor.key, id: id)
    }

    public var cursor: KeysetCursor { KeysetCursor(key: microseconds, id: id.lowercasedString) }
}

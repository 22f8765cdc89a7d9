import ApexProtocol
import Foundation
import Hummingbird
import ServiceKit

/// The query string of a list endpoint, checked: `limit` (1–200, default 50) and `cursor` (one
/// this server issued for this list), each fault a 400 naming its parameter.
struct ListParameters {
    let limit: Int
    let cursor: ListPosition?

    init(_ request: Request) throws {
        let (limit, cursor) = try request.listQuery()
        self.limit = limit
        if let cursor {
            guard let position = ListPosition(cursor) else { throw APIError.invalid("cursor", "is not a cursor this server issued") }
            self.cursor = position
        } else {
            self.cursor = nil
        }
    }

    /// An optional filter parameter parsed by the contract's rules.
    static func filter<T>(_ result: Result<T, FieldError>) throws -> T {
        switch result {
        case .success(let value): return value
        case .failure(let error): throw APIError.invalid([error])
        }
    }
}

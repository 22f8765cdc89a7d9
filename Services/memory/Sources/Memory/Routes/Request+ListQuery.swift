import ApexProtocol
import Hummingbird
import ServiceKit

extension Request {
    /// `?limit=` and `?cursor=`, decoded for the list named `list`: a bad limit or a cursor
    /// this list did not issue is a 400 naming the parameter.
    func listQuery(for list: String) throws -> (limit: Int, cursor: PageCursor?) {
        let query: ListQuery
        do {
            query = try ListQuery(limit: uri.queryParameters.get("limit"), cursor: uri.queryParameters.get("cursor"))
        } catch {
            throw APIError.invalid(error.errors)
        }
        return (query.limit, try query.cursor.map { text throws(APIError) in try PageCursor(decoding: text, list: list) })
    }

    /// A query parameter, `nil` when absent or empty.
    func filter(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }
}

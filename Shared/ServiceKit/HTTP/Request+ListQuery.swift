public import ApexProtocol
public import Hummingbird

extension Request {
    /// `?limit=` (default 50, 1–200) and `?cursor=` of a list endpoint, as a 400 problem when invalid.
    public func listQuery() throws -> (limit: Int, cursor: KeysetCursor?) {
        let query: ListQuery
        do {
            query = try ListQuery(
                limit: uri.queryParameters["limit"].map(String.init), cursor: uri.queryParameters["cursor"].map(String.init))
        } catch {
            throw APIError.invalid(error.errors)
        }
        return (query.limit, try KeysetCursor.decode(query.cursor))
    }

    /// A path parameter that the router guarantees is present.
    public func requiredParameter(_ name: String, context: ApexRequestContext) throws -> String {
        guard let value = context.parameters.get(name) else { throw APIError.notFound("resource") }
        return value
    }
}

import Foundation
import Hummingbird
import ServiceKit

extension ApexRequestContext {
    /// The `{id}` of a path as a UUID. Anything else cannot name a resource: 404, exactly like a
    /// missing or another user's one.
    func resourceID(_ what: String) throws -> UUID {
        guard let raw = parameters.get("id"), let id = UUID(uuidString: raw) else { throw APIError.notFound(what) }
        return id
    }
}

import ApexProtocol
import Foundation
import ServiceKit

/// An HTTP/2 (h2c) client to a running apex-rag, minting internal identity tokens the way the
/// gateway does (`INTERNAL_AUTH_SECRET`, issuer gateway, audience rag).
enum ServiceConnection {
    static func with<T: Sendable>(url: String, _ body: @escaping @Sendable (ServiceClient) async throws -> T) async throws -> T {
        guard let base = URL(string: url) else { throw BenchError("--url \(url) is not a URL") }
        let secret = try BenchOptions.environmentValue("INTERNAL_AUTH_SECRET")
        let client = try ServiceClient(
            target: .rag, baseURL: base, identity: InternalIdentity(secret: secret, service: .gateway), timeout: .seconds(60))
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

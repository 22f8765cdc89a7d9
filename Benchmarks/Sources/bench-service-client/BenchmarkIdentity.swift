import ApexProtocol
import ServiceKit

/// The fixed internal identity both halves of the benchmark share (`--serve` and `--client` run
/// as separate processes, and `--print-token` hands a token to h2load).
enum BenchmarkIdentity {
    static let secret = "bench-service-client-secret-0123456789abcdef"
    static let server = ServiceName.rag
    static let caller = ServiceName.gateway
    static let subject = "bench-user"

    static var client: InternalIdentity { InternalIdentity(secret: secret, service: caller) }

    /// A token for h2load: the longest lifetime the verifier accepts (60 s), so a run must
    /// finish within about a minute of printing it.
    static func token() -> String {
        client.mint(for: subject, audience: server, lifetime: InternalIdentity.maximumLifetime)
    }
}

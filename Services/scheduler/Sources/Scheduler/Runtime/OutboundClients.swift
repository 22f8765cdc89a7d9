import ApexProtocol
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceKit

/// Every client the scheduler calls out with, created once per application and closed when it
/// stops: one HTTP/1.1 client (never follows redirects) for `http` actions and the agent runner,
/// and one HTTP/2 `ServiceClient` per ApexFlow service it reaches.
final class OutboundClients: Sendable {
    let http: HTTPClient
    let memory: ServiceClient?
    /// The services whose `/internal/retention` the daily sweep calls (`RAG_URL`, `MEMORY_URL`,
    /// `GATEWAY_URL`, those that are set).
    let retentionTargets: [(ServiceName, ServiceClient)]

    init(settings: SchedulerSettings, identity: InternalIdentity, eventLoopGroup: any EventLoopGroup) throws {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(min(settings.httpTimeout, .seconds(10)) / .milliseconds(1)))),
            decompression: .disabled)
        configuration.connectionPool.idleTimeout = .seconds(30)
        self.http = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
        func client(_ target: ServiceName, _ url: URL?, timeout: Duration) throws -> ServiceClient? {
            guard let url else { return nil }
            return try ServiceClient(target: target, baseURL: url, identity: identity, eventLoopGroup: eventLoopGroup, timeout: timeout)
        }
        let memory = try client(.memory, settings.memoryURL, timeout: settings.memoryScanTimeout)
        self.memory = memory
        var targets: [(ServiceName, ServiceClient)] = []
        if let rag = try client(.rag, settings.ragURL, timeout: .seconds(60)) { targets.append((.rag, rag)) }
        if let memory { targets.append((.memory, memory)) }
        if let gateway = try client(.gateway, settings.gatewayURL, timeout: .seconds(60)) { targets.append((.gateway, gateway)) }
        self.retentionTargets = targets
    }

    func shutdown() async {
        for (_, client) in retentionTargets { await client.shutdown() }
        await memory?.shutdown()
        try? await http.shutdown()
    }
}

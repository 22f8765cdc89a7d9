import ApexProtocol
import Foundation
import HTTPTypes
import Logging
import NIOCore
import ServiceKit

/// The three backends, each with its HTTP/2 client and circuit breaker.
struct Upstreams: Sendable {
    struct Upstream: Sendable {
        let service: ServiceName
        let client: ServiceClient
        let breaker: CircuitBreaker
        let logger: Logger

        /// A backend that answers 401 refused the gateway's internal identity (the two hold
        /// different `INTERNAL_AUTH_SECRET`s): a fault of the deployment, not of the client's
        /// token, so the client gets no 401 and no `WWW-Authenticate` of the backend's. It gets
        /// 503, the log says why, and the breaker counts it as a failure.
        func vetted(_ result: Result<UpstreamResponse, any Error>) -> Result<UpstreamResponse, any Error> {
            guard case .success(let response) = result, response.status == .unauthorized else { return result }
            reportRefusedIdentity()
            return .failure(Upstreams.unavailable(service))
        }

        /// Says in the log what the client is not told.
        func reportRefusedIdentity() {
            logger.error(
                "the backend refused the gateway's internal identity: check INTERNAL_AUTH_SECRET on both",
                metadata: ["service": .string(service.rawValue)])
        }

        /// A transport failure or timeout, a 502–504, or a refused identity (``vetted(_:)``: a
        /// failure by then) counts against the upstream; any other answer counts for it.
        func account(_ result: Result<UpstreamResponse, any Error>) {
            switch result {
            case .success(let response) where ![502, 503, 504].contains(response.status.code): breaker.recordSuccess()
            default: breaker.recordFailure()
            }
        }
    }

    /// Sends to one upstream from one event loop without a task (``ForwardingShortcut``).
    struct Forwarder: Sendable {
        let upstream: Upstream
        let eventLoop: any EventLoop

        /// The call, running to completion, counted by the breaker as ``Upstreams/send(_:to:)``
        /// counts it; `completion` runs on the event loop.
        func send(_ request: UpstreamRequest, completion: @escaping @Sendable (Result<UpstreamResponse, any Error>) -> Void) {
            let upstream = self.upstream
            upstream.client.send(request, on: eventLoop) { answer in
                let result = upstream.vetted(answer)
                upstream.account(result)
                completion(result)
            }
        }
    }

    let byService: [ServiceName: Upstream]

    init(settings: GatewaySettings, identity: InternalIdentity, runtime: ServiceRuntime) throws {
        var byService: [ServiceName: Upstream] = [:]
        for (service, url) in [(ServiceName.rag, settings.ragURL), (.memory, settings.memoryURL), (.scheduler, settings.schedulerURL)] {
            byService[service] = Upstream(
                service: service,
                client: try ServiceClient(
                    target: service, baseURL: url, identity: identity, eventLoopGroup: runtime.eventLoopGroup,
                    timeout: settings.upstreamTimeout),
                breaker: CircuitBreaker(failureThreshold: settings.breakerFailures, coolDown: settings.breakerCooldown),
                logger: runtime.logger)
        }
        self.byService = byService
    }

    /// Sends through the upstream's breaker: refused at once while the circuit is open; transport
    /// failures, timeouts, 502–504 and a refused identity (503 to the client, ``Upstream/vetted(_:)``)
    /// count against it, other answers count for it. A call whose caller went away still runs, and
    /// counts as what it turns out to be.
    func send(_ request: UpstreamRequest, to service: ServiceName) async throws -> UpstreamResponse {
        guard let upstream = byService[service] else { throw APIError(.notFound, "no such service") }
        guard upstream.breaker.allow() else { throw Self.unavailable(service) }
        do {
            // Shielded from this request's cancellation: when the gateway's caller goes away (it
            // resets its stream), the upstream call still runs to its answer or its deadline
            // instead of resetting its stream on the connection all users share. A burst of such
            // resets trips the backend's HTTP/2 rapid-reset guard (swift-nio-http2: 200 RST_STREAM
            // per 30 s), which closes that connection under everyone's calls in flight. The client
            // does it (`runsToCompletion`) rather than a task per call here: that task, its start
            // on the pool and the wake-up of its waiter cost about 4 % of the gateway's CPU per proxied
            // request over h2 (Benchmarks/Gateway/README.md, session 10).
            var request = request
            request.runsToCompletion = true
            let result = upstream.vetted(.success(try await upstream.client.execute(request)))
            upstream.account(result)
            return try result.get()
        } catch let error as APIError {
            // A refused identity (`vetted`), already counted; the client never throws these.
            throw error
        } catch {
            upstream.account(.failure(error))
            throw error
        }
    }

    /// The problem a client gets for a backend the gateway cannot use now.
    static func unavailable(_ service: ServiceName) -> APIError {
        APIError(.upstreamUnavailable, "the \(service.rawValue) service is unavailable", headers: [.retryAfter: "1"])
    }

    /// A way to `service` from `eventLoop` that needs no task, while its circuit is closed.
    /// Otherwise nil, and ``send(_:to:)`` is the way: it refuses while the circuit is open and
    /// lets the one probe through.
    func forwarder(to service: ServiceName, on eventLoop: any EventLoop) -> Forwarder? {
        guard let upstream = byService[service], upstream.breaker.state == .closed else { return nil }
        return Forwarder(upstream: upstream, eventLoop: eventLoop)
    }

    /// Each backend's `/readiness`, checked in parallel; the first failure names the service.
    func readiness() async -> String? {
        await withTaskGroup(of: String?.self) { group in
            for (service, upstream) in byService {
                group.addTask {
                    let request = UpstreamRequest(
                        method: .get, path: "/readiness", subject: InternalIdentityClaims.systemSubject, timeout: .seconds(2))
                    guard let response = try? await upstream.client.execute(request), response.status == .ok else {
                        return "\(service.rawValue)_not_ready"
                    }
                    return nil
                }
            }
            for await failure in group where failure != nil { return failure }
            return nil
        }
    }

    func shutdown() async {
        for upstream in byService.values { await upstream.client.shutdown() }
    }
}

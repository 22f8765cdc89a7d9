import ApexProtocol
import Hummingbird
import ServiceKit

/// `POST /api/v1/context`: the memories and documents relevant to a query, for an agent's prompt.
///
/// Both searches run in parallel under one deadline (`CONTEXT_TIMEOUT_MS`). If one side fails or
/// times out, the other side's results still come back, with `partial: true` and the failed
/// source in `errors` — an agent is better served by half its context than by none.
struct ContextController: Sendable {
    let upstreams: Upstreams
    let deadline: Duration

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/api/v1/context") { request, context -> ContextResponse in
            let body = try await request.decode(as: ContextRequest.self, context: context)
            return try await gather(body, context: context)
        }
        return routes
    }

    enum Side: Sendable {
        case memories(Result<[MemoryHit], ContextSourceError>)
        case documents(Result<[SearchHit], ContextSourceError>)
    }

    func gather(_ body: ContextRequest, context: ApexRequestContext) async throws -> ContextResponse {
        let user = try context.userID()
        let deadline = self.deadline
        let upstreams = self.upstreams
        let trace = context.trace
        let requestID = context.requestID
        var memories: [MemoryHit] = []
        var documents: [SearchHit] = []
        var errors: [ContextSourceError] = []
        await withTaskGroup(of: Side.self) { group in
            if body.resolvedMemoryLimit > 0 {
                group.addTask {
                    .memories(
                        await Self.call(.memory, upstreams: upstreams) {
                            let response: MemorySearchResponse = try await $0.call(
                                .post, "/api/v1/memories/search",
                                body: MemorySearchRequest(query: body.query, limit: body.resolvedMemoryLimit),
                                as: user, trace: trace, requestID: requestID, timeout: deadline)
                            return response.results
                        })
                }
            }
            if body.resolvedDocumentLimit > 0 {
                group.addTask {
                    .documents(
                        await Self.call(.rag, upstreams: upstreams) {
                            let response: SearchResponse = try await $0.call(
                                .post, "/api/v1/search", body: SearchRequest(query: body.query, limit: body.resolvedDocumentLimit),
                                as: user, trace: trace, requestID: requestID, timeout: deadline)
                            return response.results
                        })
                }
            }
            for await side in group {
                switch side {
                case .memories(.success(let hits)): memories = hits
                case .documents(.success(let hits)): documents = hits
                case .memories(.failure(let error)), .documents(.failure(let error)): errors.append(error)
                }
            }
        }
        errors.sort { $0.source.rawValue < $1.source.rawValue }
        return ContextResponse(query: body.query, memories: memories, documents: documents, partial: !errors.isEmpty, errors: errors)
    }

    /// One side's call through its breaker, with failures turned into the `errors[]` entry.
    static func call<T: Sendable>(
        _ service: ServiceName, upstreams: Upstreams, _ body: @escaping @Sendable (ServiceClient) async throws -> T
    ) async -> Result<T, ContextSourceError> {
        guard let upstream = upstreams.byService[service] else {
            return .failure(ContextSourceError(source: service, code: .upstreamUnavailable))
        }
        guard upstream.breaker.allow() else { return .failure(ContextSourceError(source: service, code: .upstreamUnavailable)) }
        do {
            // Shielded from the request's cancellation, as proxied calls are (Upstreams.send): a
            // caller going away must not reset streams on the connection all users share.
            let client = upstream.client
            let value = try await Task { try await body(client) }.value
            upstream.breaker.recordSuccess()
            return .success(value)
        } catch ServiceClientError.timeout {
            upstream.breaker.recordFailure()
            return .failure(ContextSourceError(source: service, code: .upstreamTimeout))
        } catch ServiceClientError.status(let status, let problem) {
            // 401: the backend refused the gateway's identity, a deployment fault (Upstream.vetted).
            if status >= 500 || status == 401 { upstream.breaker.recordFailure() } else { upstream.breaker.recordSuccess() }
            if status == 401 { upstream.reportRefusedIdentity() }
            let code = status == 401 ? .upstreamUnavailable : problem?.code ?? ProblemCode(status: status)
            return .failure(ContextSourceError(source: service, code: code))
        } catch {
            upstream.breaker.recordFailure()
            return .failure(ContextSourceError(source: service, code: .upstreamUnavailable))
        }
    }
}

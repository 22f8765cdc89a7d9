import Foundation
import Testing

@testable import ApexProtocol

@Suite struct EndpointTests {
    /// Sample values for every template parameter: ids that collide with no literal segment.
    static let sampleParameters = ["id": "0193a1b2-0000-7000-8000-00000000abcd", "hub": "soft_identity", "key": "agent:last.run_1"]

    @Test func allListsEveryPublicRowOnce() {
        #expect(APIEndpoints.all.count == 49)
        #expect(Set(APIEndpoints.all.map(\.description)).count == APIEndpoints.all.count)
        #expect(APIEndpoints.all.allSatisfy { $0.path.hasPrefix("/api/v1/") })
        #expect(Set(APIEndpoints.all.map(\.service)) == Set(ServiceName.allCases))
        #expect(APIEndpoints.all.filter { $0.service == .gateway }.map(\.description) == ["GET /api/v1/me", "POST /api/v1/context"])
        #expect(APIEndpoints.operational.map(\.path) == ["/liveness", "/readiness", "/metrics", "/openapi.json"])
    }

    @Test(arguments: APIEndpoints.all + APIEndpoints.operational)
    func everyEndpointMatchesItsOwnPath(endpoint: Endpoint) {
        let parameters = Self.sampleParameters.filter { endpoint.parameterNames.contains($0.key) }
        let path = endpoint.path(substituting: parameters)
        #expect(!path.contains("{"))
        #expect(APIEndpoints.owner(ofPath: path) == endpoint.service)
        #expect(APIEndpoints.owner(ofPath: path + "?limit=5&cursor=abc") == endpoint.service)
        #expect(APIEndpoints.match(method: endpoint.method, path: path) == .matched(endpoint, parameters: parameters))
        #expect(endpoint.parameters(matching: path) == parameters)
    }

    @Test(arguments: [
        ("/api/v1/documents/abc/chunks", ServiceName.rag), ("/api/v1/search", .rag),
        ("/api/v1/memories/search", .memory), ("/api/v1/preferences/operating_ctx", .memory),
        ("/api/v1/state/a:b", .memory), ("/api/v1/chats/c1/messages", .memory),
        ("/api/v1/inbox/read_all", .scheduler), ("/api/v1/jobs/j1/runs", .scheduler),
        ("/api/v1/me", .gateway), ("/api/v1/context", .gateway), ("/liveness", .gateway),
    ])
    func concretePathsHaveOwners(path: String, owner: ServiceName) {
        #expect(APIEndpoints.owner(ofPath: path) == owner)
    }

    @Test(arguments: [
        "", "/", "api/v1/me", "/api", "/api/v1", "/api/v1/", "/api/v2/documents", "/api/v1/unknown",
        "/api/v1/documents/", "/api/v1/documents//chunks", "/api/v1/documents/abc/chunks/extra",
        "/API/V1/ME", "/api/v1/me/", "/internal/tick", "/internal/retention", "/api/v1/state",
        "/api/v1/jobs/j1/run/now", "//api/v1/me", "/api/v1/documents/%2F/x",
    ])
    func unknownPathsHaveNoOwner(path: String) {
        #expect(APIEndpoints.owner(ofPath: path) == nil)
        #expect(APIEndpoints.match(method: .get, path: path) == .notFound)
    }

    @Test func literalSegmentsBeatParameters() {
        #expect(APIEndpoints.match(method: .post, path: "/api/v1/memories/search").endpoint == APIEndpoints.searchMemories)
        #expect(APIEndpoints.match(method: .post, path: "/api/v1/memories/scan").endpoint == APIEndpoints.scanMemories)
        #expect(
            APIEndpoints.match(method: .get, path: "/api/v1/memories/search")
                == .matched(APIEndpoints.getMemory, parameters: ["id": "search"]))
        #expect(APIEndpoints.match(method: .post, path: "/api/v1/inbox/read_all").endpoint == APIEndpoints.markAllNotificationsRead)
        #expect(APIEndpoints.match(method: .get, path: "/api/v1/inbox/unread_count").endpoint == APIEndpoints.unreadCount)
        #expect(
            APIEndpoints.match(method: .delete, path: "/api/v1/inbox/read_all")
                == .matched(APIEndpoints.deleteNotification, parameters: ["id": "read_all"]))
    }

    /// Paths without parameters are looked up whole; the same answers must come with a query
    /// string, and a trailing slash must still match nothing.
    @Test func pathsWithoutParametersMatchAsTheOthers() {
        for endpoint in APIEndpoints.all + APIEndpoints.operational where endpoint.parameterNames.isEmpty {
            #expect(APIEndpoints.match(method: endpoint.method, path: endpoint.path) == .matched(endpoint, parameters: [:]))
            #expect(APIEndpoints.match(method: endpoint.method, path: endpoint.path + "?limit=5") == .matched(endpoint, parameters: [:]))
            #expect(APIEndpoints.match(method: endpoint.method, path: endpoint.path + "/") == .notFound)
        }
        #expect(APIEndpoints.match(method: .put, path: "/api/v1/search") == .methodNotAllowed(allowed: [.post]))
    }

    @Test func wrongMethodsListWhatIsAllowed() {
        #expect(
            APIEndpoints.match(method: .put, path: "/api/v1/memories/search")
                == .methodNotAllowed(allowed: [.get, .post, .patch, .delete]))
        #expect(APIEndpoints.match(method: .get, path: "/api/v1/inbox/n1") == .methodNotAllowed(allowed: [.delete]))
        #expect(APIEndpoints.match(method: .delete, path: "/api/v1/search") == .methodNotAllowed(allowed: [.post]))
        #expect(APIEndpoints.match(method: .post, path: "/api/v1/documents/d1") == .methodNotAllowed(allowed: [.get, .delete]))
        #expect(APIEndpoints.publicTable.match(methodName: "HEAD", path: "/api/v1/me") == .methodNotAllowed(allowed: [.get]))
        #expect(APIEndpoints.publicTable.match(methodName: "OPTIONS", path: "/nowhere") == .notFound)
        #expect(APIEndpoints.publicTable.match(methodName: "PUT", path: "/api/v1/state/k").endpoint == APIEndpoints.putState)
    }

    @Test func parametersArePercentDecodedAndEncoded() {
        #expect(
            APIEndpoints.match(method: .get, path: "/api/v1/documents/a%20b/chunks")
                == .matched(APIEndpoints.listDocumentChunks, parameters: ["id": "a b"]))
        #expect(APIEndpoints.getDocument.path(substituting: ["id": "a b/c"]) == "/api/v1/documents/a%20b%2Fc")
        #expect(APIEndpoints.getState.path(substituting: ["key": "a:b.c"]) == "/api/v1/state/a:b.c")
        #expect(APIEndpoints.getDocument.path(substituting: [:]) == "/api/v1/documents/{id}")
        #expect(APIEndpoints.createMessage.parameterNames == ["id"])
        #expect(APIEndpoints.search.parameterNames == [])
    }

    @Test func internalEndpointsAreSeparate() {
        #expect(
            APIEndpoints.internalEndpoints.map(\.description) == ["POST /internal/tick"]
                + Array(repeating: "POST /internal/retention", count: 4))
        #expect(APIEndpoints.tick.service == .scheduler)
        #expect(APIEndpoints.internalEndpoints.dropFirst().map(\.service) == ServiceName.allCases)
        let internalTable = EndpointTable(APIEndpoints.internalEndpoints)
        #expect(internalTable.owner(ofPath: "/internal/tick") == .scheduler)
        #expect(internalTable.match(method: .get, path: "/internal/tick") == .methodNotAllowed(allowed: [.post]))
        #expect(Set(APIEndpoints.all).isDisjoint(with: APIEndpoints.internalEndpoints))
    }

    @Test func methodsSortConventionally() {
        #expect(Set(HTTPMethodName.allCases).sorted() == [.get, .post, .put, .patch, .delete])
    }
}

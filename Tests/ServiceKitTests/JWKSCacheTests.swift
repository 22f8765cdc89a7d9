import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import ServiceKit

@Suite("JWKS cache: Cache-Control, rotation, stale keys on failure")
struct JWKSCacheTests {
    /// A key endpoint whose answer the test controls, counting fetches.
    final class KeyEndpoint: Sendable {
        let keys: Data
        let cacheControl = Mutex<String?>("public, max-age=1")
        let failing = Atomic<Bool>(false)
        let fetches = Atomic<Int>(0)

        init(keys: Data) { self.keys = keys }

        func app() -> some ApplicationProtocol {
            let router = Router()
            router.get("/jwks") { _, _ -> Response in
                self.fetches.add(1, ordering: .relaxed)
                if self.failing.load(ordering: .relaxed) { return Response(status: .internalServerError) }
                var headers: HTTPFields = [.contentType: "application/json"]
                if let cacheControl = self.cacheControl.withLock({ $0 }) { headers[.cacheControl] = cacheControl }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: self.keys)))
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    @Test(
        arguments: [
            (nil, 300), ("public, max-age=3600", 3600), ("max-age=0", 0), ("MAX-AGE=10, must-revalidate", 10),
            ("public, max-age=999999", 86_400), ("no-cache", 300), ("max-age=soon", 300),
        ] as [(String?, Int)])
    func maxAgeFollowsCacheControl(header: String?, seconds: Int) {
        #expect(JWKSCache.maxAge(header) == .seconds(seconds))
    }

    @Test func keysAreKeptForMaxAgeThenRefetchedAndUsedStaleWhenTheRefreshFails() async throws {
        let signer = try FirebaseTokenFactory(kid: "k1")
        let endpoint = KeyEndpoint(keys: try FirebaseTokenFactory.jwks([signer]))
        try await endpoint.app().test(.live) { client in
            let cache = JWKSCache(
                source: .url(URL(string: "http://127.0.0.1:\(client.port!)/jwks")!), logger: Logger(label: "test"),
                minimumRefetchInterval: .seconds(1))
            #expect(await cache.key(for: "k1") != nil)
            #expect(await cache.key(for: "k1") != nil)
            #expect(endpoint.fetches.load(ordering: .relaxed) == 1, "within max-age the cached set serves")

            try await Task.sleep(for: .seconds(1.1))
            #expect(await cache.key(for: "k1") != nil)
            #expect(endpoint.fetches.load(ordering: .relaxed) == 2, "past max-age the set is fetched again")

            // Google is down past max-age: the refresh fails and the stale key still verifies.
            endpoint.failing.store(true, ordering: .relaxed)
            try await Task.sleep(for: .seconds(1.1))
            #expect(await cache.key(for: "k1") != nil)
            #expect(endpoint.fetches.load(ordering: .relaxed) == 3)
            // It tries again only after the minimum interval, not on every call.
            #expect(await cache.key(for: "k1") != nil)
            #expect(endpoint.fetches.load(ordering: .relaxed) == 3)
            try await Task.sleep(for: .seconds(1.1))
            #expect(await cache.key(for: "k1") != nil)
            #expect(endpoint.fetches.load(ordering: .relaxed) == 4)
            // An unknown kid is still unknown.
            #expect(await cache.key(for: "nope") == nil)
        }
    }
}

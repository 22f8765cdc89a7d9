import ApexProtocol
import ApexTestSupport
import Foundation
import Testing

@testable import ServiceKit

@Suite("Minted token cache")
struct MintedTokenCacheTests {
    let gateway = InternalIdentity(secret: TestSettings.secret, service: .gateway)
    let rag = InternalIdentity(secret: TestSettings.secret, service: .rag)

    @Test func aTokenIsReusedWhileMostOfItsLifeIsLeftThenRenewed() throws {
        let cache = MintedTokenCache(identity: gateway, audience: .rag)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let first = cache.token(for: "alice", now: start)
        #expect(cache.token(for: "alice", now: start.addingTimeInterval(10)) == first)
        // 20 s of its 30 s lifetime left is the floor: after that a new one is minted.
        let renewed = cache.token(for: "alice", now: start.addingTimeInterval(11))
        #expect(renewed != first)
        #expect(try rag.verify(renewed, now: start.addingTimeInterval(11)).sub == "alice")
        // Any token handed out still verifies for at least 20 s after it was handed out.
        #expect(try rag.verify(first, now: start.addingTimeInterval(10 + 20)).sub == "alice")
    }

    @Test func subjectsNeverShareATokenAndTheCacheIsBounded() throws {
        let cache = MintedTokenCache(identity: gateway, audience: .rag, capacity: 3)
        let now = Date()
        let tokens = (0..<5).map { cache.token(for: "user-\($0)", now: now) }
        for (index, token) in tokens.enumerated() {
            #expect(try rag.verify(token, now: now).sub == "user-\(index)")
        }
        #expect(Set(tokens).count == 5)
    }
}

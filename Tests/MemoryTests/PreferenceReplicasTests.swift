import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Memory

/// Concurrent merge patches of one hub from two replicas.
///
/// Within one process `PreferencePatchQueue` keeps at most one write per hub in flight, so the
/// tests in `PreferencesTests` would pass even if `memory.merge_preference_patches` (0004) were
/// a lost-update read-modify-write. Here each replica is a store on its own `Database` (its own
/// connection pool) and every patch is its own transaction, so only PostgreSQL orders them.
///
/// Why these tests catch an unlocked merge: in READ COMMITTED, a `SELECT value` without
/// `FOR UPDATE` reads the last *committed* hub, ignoring a concurrent transaction that has
/// already updated the row but not committed yet. Its `UPDATE … SET value = <computed state>`
/// then waits for that transaction's row lock and, once it commits, overwrites its result
/// with a state computed from the older value: the other patch's key is lost. With ten
/// transactions in flight at once (two pools of five), many patches overlap that way, so keys
/// go missing and two patches answer hubs of the same size. With the lock (`SELECT … FOR
/// UPDATE` after `INSERT … ON CONFLICT DO NOTHING`) each patch reads the hub its predecessor
/// committed, so the 40 answers have 40 different sizes and every key survives. (Checked by
/// replacing the function with one without `FOR UPDATE` in a private database: keys were lost.)
@Suite("Preference hubs across replicas")
struct PreferenceReplicasTests {
    /// Runs `body` with two preference stores, each on its own connection pool, as two replicas
    /// of apex-memory would have.
    static func withTwoReplicas(
        _ body: @escaping @Sendable (PostgresPreferenceStore, PostgresPreferenceStore) async throws -> Void
    ) async throws {
        let settings = try TestDatabase.settings()  // its own client: a second pool of DB_POOL_MAX (5)
        try await MemoryTestDatabase.withPrepared { first in
            try await TestDatabase.withDatabase(settings: settings) { second in
                try await body(
                    PostgresPreferenceStore(database: first, logger: MemoryTestDatabase.logger),
                    PostgresPreferenceStore(database: second, logger: MemoryTestDatabase.logger))
            }
        }
    }

    static func decode(_ document: JSONDocument) throws -> JSONValue {
        try ApexJSON.decode(JSONValue.self, from: Data(document.text.utf8))
    }

    @Test func twoReplicasPatchingDifferentKeysConcurrentlyLoseNothing() async throws {
        let user = MemoryTestApp.newUser()
        try await Self.withTwoReplicas { first, second in
            // 2 × 20 patches, interleaved: replica r's patch i adds key "r<r>_<i>" and a key of
            // the same name inside the shared object "nested".
            let answers = try await withThrowingTaskGroup(of: (String, JSONValue).self) { group in
                for index in 0..<20 {
                    for (replica, store) in [(0, first), (1, second)] {
                        group.addTask {
                            let key = "r\(replica)_\(index)"
                            let hub = try await store.merge(
                                ["\(key)": .number(Double(index)), "nested": ["\(key)": true]], into: .preferences, userID: user)
                            return (key, try Self.decode(hub))
                        }
                    }
                }
                return try await group.reduce(into: [(String, JSONValue)]()) { $0.append($1) }
            }
            let keys = (0..<20).flatMap { index in ["r0_\(index)", "r1_\(index)"] }
            #expect(answers.count == 40)
            // Every answer is the hub as its own patch left it…
            for (key, hub) in answers {
                #expect(hub[key] != nil && hub["nested"]?[key] == true, "\(key)")
            }
            // …and the patches applied one after another: each saw one more key than the last.
            #expect(Set(answers.compactMap { $0.1.objectValue?.count }) == Set(2...41))
            for store in [first, second] {
                let hub = try Self.decode(try await store.hub(.preferences, userID: user))
                let missing = keys.filter { hub[$0] == nil || hub["nested"]?[$0] != true }
                #expect(missing.isEmpty, "lost: \(missing)")
                #expect(hub.objectValue?.count == 41)
                #expect(hub["nested"]?.objectValue?.count == 40)
            }
        }
    }

    /// Concurrent `null` deletes and nested merges from both replicas: every deletion and every
    /// nested addition lands, and the result equals the contract's reference merge (the patches
    /// touch disjoint keys, so their order does not matter).
    @Test func nullDeletesAndNestedMergesFromBothReplicasAllApply() async throws {
        let user = MemoryTestApp.newUser()
        try await Self.withTwoReplicas { first, second in
            var seed: JSONObject = ["keep": "yes", "theme": ["color": ["fg": "black", "bg": "white"], "font": "serif"]]
            for index in 0..<20 { seed["old\(index)"] = .number(Double(index)) }
            _ = try await first.merge(seed, into: .softIdentity, userID: user)

            var patches: [(PostgresPreferenceStore, JSONObject)] = []
            for index in 0..<20 {
                // Replica 0 deletes old0…old9 and adds theme.color.c<i>; replica 1 deletes
                // old10…old19 and adds theme.extra.e<i> objects; one patch each deletes a
                // nested key the seed had.
                let replica0: JSONObject = ["old\(index / 2)": nil, "theme": ["color": ["c\(index)": .number(Double(index))]]]
                var replica1: JSONObject = ["old\(10 + index / 2)": nil, "theme": ["extra": ["e\(index)": ["n": .number(Double(index))]]]]
                if index == 7 { replica1["theme"] = ["color": ["bg": nil], "extra": ["e7": ["n": 7]]] }
                patches.append((first, index == 3 ? ["theme": ["font": nil, "color": ["c3": 3]]] : replica0))
                patches.append((second, replica1))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (store, patch) in patches {
                    group.addTask { _ = try await store.merge(patch, into: .softIdentity, userID: user) }
                }
                try await group.waitForAll()
            }

            let expected = patches.reduce(JSONValue.object(seed)) { $0.merging(patch: .object($1.1)) }
            #expect(expected["old0"] == nil && expected["old19"] == nil && expected["theme"]?["font"] == nil)
            #expect(expected["theme"]?["color"]?.objectValue?.count == 21)  // fg + c0…c19
            #expect(expected["theme"]?["extra"]?.objectValue?.count == 20)
            for store in [first, second] {
                #expect(try Self.decode(try await store.hub(.softIdentity, userID: user)) == expected)
            }
        }
    }

    /// The whole path of two running applications (each with its own patch queue and pool),
    /// 2 × 20 concurrent HTTP PATCHes to one hub. Each queue batches its replica's patches, so
    /// fewer transactions race here than in the store-level tests above: an unlocked merge made
    /// this one fail in only some runs, the two above in every run.
    @Test func twoApplicationsPatchingOneHubKeepEveryKey() async throws {
        let user = MemoryTestApp.newUser()
        try await MemoryTestApp.run { firstClient in
            try await MemoryTestApp.run { secondClient in
                let replicas = [MemoryAPI(firstClient, user: user), MemoryAPI(secondClient, user: user)]
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<20 {
                        for (replica, api) in replicas.enumerated() {
                            group.addTask {
                                let response = try await api.send(
                                    .patch, "/api/v1/preferences/operating_ctx",
                                    json: #"{"a\#(replica)_\#(index)": \#(index), "nested": {"a\#(replica)_\#(index)": {"ok": true}}}"#,
                                    contentType: "application/merge-patch+json")
                                #expect(response.status == .ok)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                for api in replicas {
                    let hub = try await api.call(.get, "/api/v1/preferences/operating_ctx", as: JSONValue.self)
                    #expect(hub.objectValue?.count == 41)
                    #expect(hub["nested"]?.objectValue?.count == 40)
                    for replica in 0..<2 {
                        for index in 0..<20 {
                            #expect(hub["a\(replica)_\(index)"] == .number(Double(index)))
                            #expect(hub["nested"]?["a\(replica)_\(index)"]?["ok"] == true)
                        }
                    }
                }
            }
        }
    }
}

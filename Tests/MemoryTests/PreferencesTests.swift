import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Memory

@Suite("Preference hubs")
struct PreferencesTests {
    @Test func twentyConcurrentPatchesToDifferentKeysAllSurvive() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let response = try await api.send(
                            .patch, "/api/v1/preferences/preferences",
                            json: #"{"key\#(index)": \#(index), "shared": {"k\#(index)": true}}"#,
                            contentType: "application/merge-patch+json")
                        #expect(response.status == .ok)
                        // Each answer is the hub as this patch left it (patches may be applied in a batch).
                        let hub = try ApexJSON.decode(JSONValue.self, from: Data(buffer: response.body))
                        #expect(hub["key\(index)"] == .number(Double(index)) && hub["shared"]?["k\(index)"] == true)
                    }
                }
                try await group.waitForAll()
            }
            let hub = try await api.call(.get, "/api/v1/preferences/preferences", as: JSONValue.self)
            for index in 0..<20 {
                #expect(hub["key\(index)"] == .number(Double(index)))
                #expect(hub["shared"]?["k\(index)"] == true)
            }
            #expect(hub.objectValue?.count == 21)
        }
    }

    /// The batch path directly: patches applied in order in one transaction, one state per patch.
    @Test func aBatchAppliesPatchesInOrderAndAnswersEachState() async throws {
        try await MemoryTestDatabase.withPrepared { database in
            let store = PostgresPreferenceStore(database: database, logger: MemoryTestDatabase.logger)
            let user = MemoryTestApp.newUser()
            let states = try await store.merge(
                [["a": ["x": 1]], ["a": nil], ["a": ["y": 2]], ["b": [1, 2]]], into: .operatingCtx, userID: user)
            let decoded = try states.map { try ApexJSON.decode(JSONValue.self, from: Data($0.text.utf8)) }
            #expect(decoded == [["a": ["x": 1]], [:], ["a": ["y": 2]], ["a": ["y": 2], "b": [1, 2]]])
            #expect(try await store.hub(.operatingCtx, userID: user).text == states.last?.text)
        }
    }

    @Test func nullDeletesNestedObjectsMergeArraysAndScalarsReplace() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            let empty = try await api.call(.get, "/api/v1/preferences/soft_identity", as: JSONValue.self)
            #expect(empty == [:])
            var hub = try await api.call(
                .patch, "/api/v1/preferences/soft_identity",
                json: #"{"theme": {"color": "dark", "font": {"size": 12}}, "tags": ["a", "b"], "lang": "fr", "gone": 1}"#,
                as: JSONValue.self)
            hub = try await api.call(
                .patch, "/api/v1/preferences/soft_identity",
                json:
                    #"{"theme": {"font": {"family": "serif"}, "color": null}, "tags": ["c"], "lang": {"primary": "fr"}, "gone": null, "missing": null}"#,
                as: JSONValue.self)
            let expected: JSONValue = ["theme": ["font": ["size": 12, "family": "serif"]], "tags": ["c"], "lang": ["primary": "fr"]]
            #expect(hub == expected)
            #expect(try await api.call(.get, "/api/v1/preferences/soft_identity", as: JSONValue.self) == expected)
            // The same answer as the contract's reference implementation of RFC 7396.
            let reference = JSONValue.object([:])
                .merging(patch: ["theme": ["color": "dark", "font": ["size": 12]], "tags": ["a", "b"], "lang": "fr", "gone": 1])
                .merging(patch: [
                    "theme": ["font": ["family": "serif"], "color": nil], "tags": ["c"], "lang": ["primary": "fr"], "gone": nil,
                    "missing": nil,
                ])
            #expect(reference == expected)

            let all = try await api.call(.get, "/api/v1/preferences", as: PreferencesResponse.self)
            #expect(all.softIdentity == expected.objectValue && all.preferences == [:] && all.operatingCtx == [:])
            #expect(all.updatedAt != nil)
        }
    }

    @Test func aNewUserHasEmptyHubsAndBadRequestsAreRefused() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            let all = try await api.send(.get, "/api/v1/preferences")
            let body = try ApexJSON.decode(JSONValue.self, from: Data(buffer: all.body))
            #expect(body == ["preferences": [:], "operating_ctx": [:], "soft_identity": [:], "updated_at": nil])
            #expect(try await api.send(.get, "/api/v1/preferences/favourites").status == .notFound)
            #expect(try await api.send(.patch, "/api/v1/preferences/favourites", json: "{}").status == .notFound)
            let array = try await api.send(.patch, "/api/v1/preferences/preferences", json: #"["x"]"#)
            #expect(array.status == .badRequest)
            #expect(try MemoryAPI.problem(array).errors?.map(\.field) == ["body"])
            #expect(
                try await api.send(.patch, "/api/v1/preferences/preferences", json: "x", contentType: "text/plain").status
                    == .unsupportedMediaType)
            #expect(try await api.send(.put, "/api/v1/preferences/preferences", json: "{}").status == .methodNotAllowed)
        }
    }
}

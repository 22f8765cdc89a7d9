import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Memory

@Suite("Per-user state")
struct StateTests {
    @Test func anyJSONValueIncludingNullIsStoredExactly() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            #expect(try await api.send(.get, "/api/v1/state/onboarding.step").status == .notFound)
            let values: [JSONValue] = [.null, 3, "text", true, [1, "two", nil], ["nested": ["deep": [1.5]]]]
            for value in values {
                let entry = try await api.call(
                    .put, "/api/v1/state/onboarding.step", body: PutStateRequest(value: value), as: StateEntry.self)
                #expect(entry.key == "onboarding.step" && entry.value == value)
                #expect(try await api.call(.get, "/api/v1/state/onboarding.step", as: StateEntry.self).value == value)
            }
            let null = try await api.send(.put, "/api/v1/state/flag", json: #"{"value": null}"#)
            #expect(String(buffer: null.body).contains(#""value":null"#))
            #expect(try await api.send(.put, "/api/v1/state/flag", json: "{}").status == .badRequest)
            #expect(try await api.send(.delete, "/api/v1/state/flag").status == .noContent)
            #expect(try await api.send(.get, "/api/v1/state/flag").status == .notFound)
            #expect(try await api.send(.delete, "/api/v1/state/flag").status == .notFound)
            let long = String(repeating: "k", count: 129)
            let refused = try await api.send(.get, "/api/v1/state/\(long)")
            #expect(refused.status == .badRequest)
            #expect(try MemoryAPI.problem(refused).errors?.map(\.field) == ["key"])
        }
    }
}

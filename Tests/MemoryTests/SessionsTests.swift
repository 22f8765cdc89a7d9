import ApexProtocol
import ApexTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Memory

@Suite("Agent sessions")
struct SessionsTests {
    @Test func clientIDsArePerUserAndReuseConflicts() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            let created = try await api.send(
                .post, "/api/v1/sessions", json: #"{"id": "run:1", "query": "plan my week", "agent_type": "PlannerAgent"}"#)
            #expect(created.status == .created)
            let session = try MemoryAPI.decode(Session.self, from: created)
            #expect(
                session.id == "run:1" && session.status == .running && session.completedAt == nil && session.agentType == "PlannerAgent")
            #expect(String(buffer: created.body).contains(#""completed_at":null"#))
            #expect(try await api.send(.post, "/api/v1/sessions", json: #"{"id": "run:1", "query": "again"}"#).status == .conflict)
            // The same id for another user is another session.
            #expect(
                try await api.as(MemoryTestApp.newUser()).send(.post, "/api/v1/sessions", json: #"{"id": "run:1", "query": "mine"}"#).status
                    == .created)
            let generated = try await api.call(.post, "/api/v1/sessions", json: #"{"query": "no id"}"#, as: Session.self)
            #expect(UUID(uuidString: generated.id) != nil)
        }
    }

    @Test func statusTransitionsAndMergedNodeOutputs() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            _ = try await api.call(
                .post, "/api/v1/sessions", json: #"{"id": "s1", "query": "q", "graph_data": {"nodes": 2}}"#, as: Session.self)
            var session = try await api.call(
                .patch, "/api/v1/sessions/s1", json: #"{"node_outputs": {"planner": {"plan": "a"}}, "cost": 0.25, "model_used": "m1"}"#,
                as: Session.self)
            #expect(session.status == .running && session.cost == 0.25 && session.modelUsed == "m1")
            session = try await api.call(
                .patch, "/api/v1/sessions/s1",
                json: #"{"status": "completed", "node_outputs": {"writer": "done", "planner": {"plan": "b"}}, "model_used": null}"#,
                as: Session.self)
            #expect(session.status == .completed && session.completedAt != nil && session.modelUsed == nil)
            #expect(session.nodeOutputs == ["planner": ["plan": "b"], "writer": "done"])
            #expect(session.graphData == ["nodes": 2] && session.cost == 0.25)
            let completedAt = session.completedAt
            // The status it already has is no change; another status is a conflict; other fields stay patchable.
            session = try await api.call(
                .patch, "/api/v1/sessions/s1", json: #"{"status": "completed", "error": "late note"}"#, as: Session.self)
            #expect(session.completedAt == completedAt && session.error == "late note")
            let conflict = try await api.send(.patch, "/api/v1/sessions/s1", json: #"{"status": "running"}"#)
            #expect(conflict.status == .conflict)
            #expect(try MemoryAPI.problem(conflict).code == .conflict)
            #expect(try await api.send(.patch, "/api/v1/sessions/s1", json: #"{"status": "failed"}"#).status == .conflict)
            #expect(try await api.send(.patch, "/api/v1/sessions/s1", json: #"{"cost": -1}"#).status == .badRequest)
            #expect(try await api.send(.patch, "/api/v1/sessions/s1", json: #"{"status": "paused"}"#).status == .badRequest)
            #expect(try await api.send(.patch, "/api/v1/sessions/s1", json: #"{"node_outputs": null}"#).status == .badRequest)
            #expect(try await api.send(.patch, "/api/v1/sessions/nope", json: #"{"status": "failed"}"#).status == .notFound)

            _ = try await api.call(.post, "/api/v1/sessions", json: #"{"id": "s2", "query": "q2"}"#, as: Session.self)
            let cancelled = try await api.call(.patch, "/api/v1/sessions/s2", json: #"{"status": "cancelled"}"#, as: Session.self)
            #expect(cancelled.completedAt != nil)
        }
    }

    @Test func listByStatusNewestFirstAndDelete() async throws {
        try await MemoryTestApp.run { client in
            let api = MemoryAPI(client)
            for id in ["a", "b", "c", "d"] {
                _ = try await api.call(.post, "/api/v1/sessions", json: #"{"id": "\#(id)", "query": "q"}"#, as: Session.self)
            }
            _ = try await api.call(.patch, "/api/v1/sessions/b", json: #"{"status": "completed"}"#, as: Session.self)
            _ = try await api.call(.patch, "/api/v1/sessions/d", json: #"{"status": "completed"}"#, as: Session.self)
            #expect(try await api.call(.get, "/api/v1/sessions", as: Page<Session>.self).items.map(\.id) == ["d", "c", "b", "a"])
            #expect(try await api.call(.get, "/api/v1/sessions?status=completed", as: Page<Session>.self).items.map(\.id) == ["d", "b"])
            let first = try await api.call(.get, "/api/v1/sessions?status=running&limit=1", as: Page<Session>.self)
            #expect(first.items.map(\.id) == ["c"])
            let second = try await api.call(
                .get, "/api/v1/sessions?status=running&limit=1&cursor=\(try #require(first.nextCursor))", as: Page<Session>.self)
            #expect(second.items.map(\.id) == ["a"] && second.nextCursor == nil)
            let bad = try await api.send(.get, "/api/v1/sessions?status=paused")
            #expect(bad.status == .badRequest)
            #expect(try MemoryAPI.problem(bad).errors?.map(\.field) == ["status"])

            #expect(try await api.send(.delete, "/api/v1/sessions/a").status == .noContent)
            #expect(try await api.send(.get, "/api/v1/sessions/a").status == .notFound)
            #expect(try await api.send(.get, "/api/v1/sessions/bad%20id").status == .notFound)
            #expect(try await api.send(.post, "/api/v1/sessions", json: #"{"id": "bad id", "query": "q"}"#).status == .badRequest)
            #expect(try await api.send(.post, "/api/v1/sessions", json: #"{"query": ""}"#).status == .badRequest)
        }
    }
}

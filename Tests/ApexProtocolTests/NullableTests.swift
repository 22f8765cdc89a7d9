import Foundation
import Testing

@testable import ApexProtocol

@Suite struct NullableTests {
    @Test func tellsAbsentFromNullFromValue() throws {
        #expect(try Wire.decode(UpdateChatRequest.self, "{}").model == .absent)
        #expect(try Wire.decode(UpdateChatRequest.self, #"{"model": null}"#).model == .null)
        #expect(try Wire.decode(UpdateChatRequest.self, #"{"model": "gemini-2.5"}"#).model == .value("gemini-2.5"))
    }

    @Test func encodesTheThreeStatesDistinctly() throws {
        #expect(try Wire.text(UpdateChatRequest()) == "{}")
        #expect(try Wire.text(UpdateChatRequest(model: .null)) == #"{"model":null}"#)
        #expect(try Wire.json(UpdateChatRequest(title: "Plans", model: .value("m"))) == ["title": "Plans", "model": "m"])
        for request in [UpdateChatRequest(), UpdateChatRequest(model: .null), UpdateChatRequest(title: "t", model: .value("m"))] {
            #expect(try Wire.roundTrip(request) == request)
        }
    }

    @Test func updateSpellsOutWhatToStore() {
        #expect(Nullable<String>.absent.update == nil)
        #expect(Nullable<String>.null.update == .some(nil))
        #expect(Nullable<String>.value("x").update == .some("x"))
        #expect(Nullable<String>("x") == .value("x"))
        #expect(Nullable<String>(nil) == .null)
        #expect(Nullable<String>.absent.isPresent == false)
        #expect(Nullable<String>.null.isPresent)
        #expect(Nullable<Int>.value(2).map { $0 * 2 } == .value(4))
        #expect(Nullable<Int>.null.map { $0 * 2 } == .null)
    }

    @Test func sessionPatchClearsOnlyClearableFields() throws {
        let patch = try Wire.decode(
            UpdateSessionRequest.self, #"{"status": "completed", "cost": null, "model_used": "m", "node_outputs": {"a": "b"}}"#)
        #expect(patch.status == .completed)
        #expect(patch.cost == .null)
        #expect(patch.modelUsed == .value("m"))
        #expect(patch.error == .absent)
        #expect(patch.nodeOutputs == ["a": "b"])
        #expect(patch.graphData == nil)
        #expect(try Wire.roundTrip(patch) == patch)
    }

    @Test(arguments: [
        (#"{"status": null}"#, "status"),
        (#"{"graph_data": null}"#, "graph_data"),
        (#"{"metadata": null}"#, "metadata"),
    ])
    func sessionPatchRefusesNullForFieldsThatCannotBeCleared(json: String, field: String) {
        #expect(Wire.decodingFieldError(UpdateSessionRequest.self, json) == FieldError(field: field, message: "must not be null"))
    }

    @Test func otherPatchesRefuseNull() {
        #expect(
            Wire.decodingFieldError(UpdateChatRequest.self, #"{"title": null}"#) == FieldError(field: "title", message: "must not be null"))
        #expect(
            Wire.decodingFieldError(UpdateMemoryRequest.self, #"{"text": null}"#) == FieldError(field: "text", message: "must not be null"))
        #expect(
            Wire.decodingFieldError(UpdateJobRequest.self, #"{"enabled": null}"#)
                == FieldError(field: "enabled", message: "must not be null"))
        #expect(
            Wire.decodingFieldError(UpdateJobRequest.self, #"{"action": null}"#) == FieldError(field: "action", message: "must not be null")
        )
    }

    @Test func jobPatchDecodesNestedAction() throws {
        let patch = try Wire.decode(
            UpdateJobRequest.self, #"{"enabled": false, "action": {"type": "agent", "agent_type": "PlannerAgent", "query": "q"}}"#)
        #expect(patch.enabled == false)
        #expect(patch.action == .agent(agentType: "PlannerAgent", query: "q"))
        #expect(patch.changesSchedule)
        #expect(UpdateJobRequest(name: "n").changesSchedule == false)
        #expect(try Wire.roundTrip(patch) == patch)
    }
}

import Foundation
import Testing

@testable import ApexProtocol

@Suite struct JobActionTests {
    @Test(arguments: [
        (JobAction.notify(title: "Hi", body: "There"), #"{"type":"notify","title":"Hi","body":"There"}"#),
        (.memoryScan, #"{"type":"memory_scan"}"#),
        (
            .http(url: "https://hooks.example.com/x", method: .post, body: ["a": 1]),
            #"{"type":"http","url":"https://hooks.example.com/x","method":"POST","body":{"a":1}}"#
        ),
        (
            .http(url: "https://hooks.example.com/x", method: .get, body: nil),
            #"{"type":"http","url":"https://hooks.example.com/x","method":"GET","body":null}"#
        ),
        (.agent(agentType: "PlannerAgent", query: "plan"), #"{"type":"agent","agent_type":"PlannerAgent","query":"plan"}"#),
    ])
    func roundTripsWithTypeDiscriminator(action: JobAction, json: String) throws {
        #expect(try Wire.json(action) == Wire.decode(JSONValue.self, json))
        #expect(try Wire.decode(JobAction.self, json) == action)
        #expect(try Wire.roundTrip(action) == action)
    }

    @Test func httpMethodDefaultsToPost() throws {
        let action = try Wire.decode(JobAction.self, #"{"type": "http", "url": "https://x.example"}"#)
        #expect(action == .http(url: "https://x.example", method: .post, body: nil))
    }

    @Test func kindNamesTheDiscriminator() {
        #expect(JobAction.memoryScan.kind == .memoryScan)
        #expect(JobAction.Kind.allCases.map(\.rawValue) == ["notify", "memory_scan", "http", "agent"])
    }

    @Test func unknownTypeIsADecodingError() {
        #expect(throws: DecodingError.self) {
            try Wire.decode(JobAction.self, #"{"type": "email", "to": "a@b"}"#)
        }
        #expect(
            Wire.decodingFieldError(JobAction.self, #"{"type": "email"}"#)
                == FieldError(field: "type", message: "must be one of: notify, memory_scan, http, agent"))
        #expect(Wire.decodingFieldError(JobAction.self, #"{"title": "x"}"#) == FieldError(field: "type", message: "is required"))
        #expect(
            Wire.decodingFieldError(JobAction.self, #"{"type": "notify", "title": "x"}"#)
                == FieldError(field: "body", message: "is required"))
        #expect(
            Wire.decodingFieldError(JobAction.self, #"{"type": "agent", "query": "x"}"#)
                == FieldError(field: "agent_type", message: "is required"))
        #expect(
            Wire.decodingFieldError(
                CreateJobRequest.self, #"{"name": "n", "cron_expression": "* * * * *", "action": {"type": "MEMORY_SCAN"}}"#)
                == FieldError(field: "action.type", message: "must be one of: notify, memory_scan, http, agent"))
    }
}

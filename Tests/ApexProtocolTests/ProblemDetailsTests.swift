import Foundation
import Testing

@testable import ApexProtocol

@Suite struct ProblemDetailsTests {
    @Test(arguments: [
        (ProblemCode.invalidRequest, "invalid_request", 400), (.unauthenticated, "unauthenticated", 401),
        (.forbidden, "forbidden", 403), (.notFound, "not_found", 404), (.methodNotAllowed, "method_not_allowed", 405),
        (.conflict, "conflict", 409), (.payloadTooLarge, "payload_too_large", 413),
        (.unsupportedMediaType, "unsupported_media_type", 415), (.rateLimited, "rate_limited", 429),
        (.internal, "internal", 500), (.upstreamUnavailable, "upstream_unavailable", 503),
        (.upstreamTimeout, "upstream_timeout", 504),
    ])
    func codesCarryTheirStatus(code: ProblemCode, raw: String, status: Int) {
        #expect(code.rawValue == raw)
        #expect(code.status == status)
        #expect(code.typeURI == "urn:apexflow:problem:\(raw)")
        #expect(!code.defaultTitle.isEmpty)
        #expect(ProblemCode(status: status) == code)
    }

    @Test func everyCodeIsTested() {
        #expect(ProblemCode.allCases.count == 12)
        #expect(Set(ProblemCode.allCases.map(\.status)).count == 12)
    }

    @Test func statusesWithoutTheirOwnCodeMapToTheNearest() {
        #expect(ProblemCode(status: 502) == .upstreamUnavailable)
        #expect(ProblemCode(status: 418) == .invalidRequest)
        #expect(ProblemCode(status: 422) == .invalidRequest)
        #expect(ProblemCode(status: 501) == .internal)
    }

    @Test func encodesTheRFC9457Shape() throws {
        let problem = ProblemDetails(code: .notFound, detail: "document abc not found", traceID: "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(
            try Wire.json(problem) == [
                "type": "urn:apexflow:problem:not_found", "title": "Not found", "status": 404,
                "detail": "document abc not found", "code": "not_found", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
            ])
        #expect(try Wire.roundTrip(problem) == problem)
    }

    @Test func validationProblemsListTheirFields() throws {
        let failure = ValidationFailure(errors: [FieldError(field: "limit", message: "must be between 1 and 200")])
        let problem = ProblemDetails(validationFailure: failure, traceID: "t")
        #expect(problem.status == 400)
        #expect(problem.code == .invalidRequest)
        #expect(problem.detail.contains("limit must be between 1 and 200"))
        #expect(try Wire.json(problem)["errors"] == [["field": "limit", "message": "must be between 1 and 200"]])
        #expect(try Wire.roundTrip(problem) == problem)
    }

    @Test func decodingToleratesMissingOptionalMembers() throws {
        let problem = try Wire.decode(ProblemDetails.self, #"{"code": "rate_limited", "trace_id": "t"}"#)
        #expect(problem.status == 429)
        #expect(problem.type == "urn:apexflow:problem:rate_limited")
        #expect(problem.detail == problem.title)
        #expect(problem.errors == nil)
    }

    @Test func fieldErrorsNestWithDots() {
        #expect(FieldError(field: "url", message: "m").nested(under: "action") == FieldError(field: "action.url", message: "m"))
        #expect(FieldError(field: "[0]", message: "m").nested(under: "ids") == FieldError(field: "ids[0]", message: "m"))
    }

    /// Bodies that do not decode are answered like validation errors: with the field named.
    @Test func decodingErrorsNameTheField() {
        #expect(Wire.decodingFieldError(SearchRequest.self, "{}") == FieldError(field: "query", message: "is required"))
        #expect(Wire.decodingFieldError(SearchRequest.self, #"{"query": 5}"#) == FieldError(field: "query", message: "must be a string"))
        #expect(
            Wire.decodingFieldError(SearchRequest.self, #"{"query": "q", "limit": "10"}"#)
                == FieldError(field: "limit", message: "must be an integer"))
        #expect(
            Wire.decodingFieldError(SearchRequest.self, #"{"query": "q", "limit": 2.5}"#)
                == FieldError(field: "limit", message: "must be an integer"))
        #expect(
            Wire.decodingFieldError(SearchRequest.self, #"{"query": "q", "mode": "fuzzy"}"#)
                == FieldError(field: "mode", message: "must be one of: hybrid, vector, keyword"))
        #expect(
            Wire.decodingFieldError(SearchRequest.self, #"{"query": "q", "document_ids": ["a", 1]}"#)
                == FieldError(field: "document_ids[1]", message: "must be a string"))
        #expect(Wire.decodingFieldError(SearchRequest.self, #"{"query": "#) == FieldError(field: "body", message: "must be valid JSON"))
        #expect(Wire.decodingFieldError(SearchRequest.self, "[]") == FieldError(field: "body", message: "must be an object"))
        #expect(
            Wire.decodingFieldError(CreateMemoryRequest.self, #"{"text": "t", "metadata": "x"}"#)
                == FieldError(field: "metadata", message: "must be an object"))
        #expect(
            Wire.decodingFieldError(CreateTaskRequest.self, #"{"action": {"type": "http"}}"#)
                == FieldError(field: "action.url", message: "is required"))
        #expect(
            Wire.decodingFieldError(CreateTaskRequest.self, #"{"action": {"type": "http", "url": "https://x", "method": "get"}}"#)
                == FieldError(field: "action.method", message: "must be one of: GET, POST, PUT, PATCH, DELETE"))
        #expect(
            Wire.decodingFieldError(CreateNotificationRequest.self, #"{"title": "t", "body": "b", "priority": 1.5}"#)
                == FieldError(field: "priority", message: "must be an integer"))
        #expect(
            Wire.decodingFieldError(UpdateSessionRequest.self, #"{"status": "paused"}"#)
                == FieldError(field: "status", message: "must be one of: running, completed, failed, cancelled"))
        #expect(
            Wire.decodingFieldError(CreateMessageRequest.self, #"{"role": "bot", "content": ""}"#)
                == FieldError(field: "role", message: "must be one of: user, assistant, system"))
    }

    @Test func integralFloatsAreAcceptedForIntegers() throws {
        #expect(try Wire.decode(SearchRequest.self, #"{"query": "q", "limit": 5.0}"#).limit == 5)
        #expect(try Wire.decode(SearchRequest.self, #"{"query": "q", "limit": null}"#).limit == nil)
    }
}

import ApexProtocol
import Foundation
import Logging
import Testing

@testable import ServiceKit

/// The log line is written by hand (`LogLine`), so these check it is JSON that Cloud Logging and
/// any JSON parser read back exactly.
@Suite("Cloud Logging JSON lines")
struct CloudLoggingHandlerTests {
    func logged(
        level: Logger.Level = .info, _ message: String, metadata: Logger.Metadata = [:], project: String? = "apex-prod"
    ) throws -> (line: String, object: [String: Any]) {
        let sink = LogSink()
        var logger = Logger(label: "apexflow.test") { label in
            CloudLoggingHandler(label: label, service: "apex-rag", level: .debug, project: project, sink: sink)
        }
        logger[metadataKey: "request_id"] = "req-1"
        logger.log(level: level, "\(message)", metadata: metadata)
        let line = try #require(sink.captured.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return (line, object)
    }

    @Test func aLineIsOneJSONObjectWithCloudLoggingsFields() throws {
        let (line, object) = try logged("GET /api/v1/documents 200", metadata: ["trace_id": "0af7651916cd43dd8448eb211c80319c"])
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        #expect(object["severity"] as? String == "INFO")
        #expect(object["message"] as? String == "GET /api/v1/documents 200")
        #expect(object["service"] as? String == "apex-rag")
        #expect(object["logger"] as? String == "apexflow.test")
        #expect(object["request_id"] as? String == "req-1")
        #expect(object["logging.googleapis.com/trace"] as? String == "projects/apex-prod/traces/0af7651916cd43dd8448eb211c80319c")
        let time = try #require(object["time"] as? String)
        #expect(ApexJSON.parseDate(time) != nil, "RFC 3339: \(time)")
        #expect(object["source"] == nil, "only errors name their source")
    }

    /// The request's ids live in fields of their own: read, replaced, removed and listed like
    /// any other metadata, through the subscript and through `metadata`.
    @Test func theRequestIDsBehaveAsOtherMetadata() throws {
        var handler = CloudLoggingHandler(label: "apexflow.test", service: "apex-rag", level: .info, sink: LogSink())
        handler[metadataKey: "request_id"] = "r1"
        handler[metadataKey: "trace_id"] = "t1"
        handler[metadataKey: "user_id"] = "u1"
        #expect(handler[metadataKey: "request_id"] == "r1")
        #expect(handler[metadataKey: "trace_id"] == "t1")
        #expect(handler.metadata == ["request_id": "r1", "trace_id": "t1", "user_id": "u1"])
        handler[metadataKey: "request_id"] = nil
        #expect(handler.metadata == ["trace_id": "t1", "user_id": "u1"])
        handler.metadata = ["request_id": "r2", "route": "/x"]
        #expect(handler[metadataKey: "request_id"] == "r2")
        #expect(handler[metadataKey: "trace_id"] == nil)
        #expect(handler[metadataKey: "user_id"] == nil)
        #expect(handler.metadata == ["request_id": "r2", "route": "/x"])
        // An event's own metadata still overrides the handler's.
        let (_, object) = try logged("overridden", metadata: ["request_id": "req-2"])
        #expect(object["request_id"] as? String == "req-2")
    }

    @Test func valuesKeepTheirJSONTypes() throws {
        let (_, object) = try logged(
            "typed",
            metadata: [
                "status": .stringConvertible(503), "duration_ms": .stringConvertible(1.5),
                "ids": .array(["a", .stringConvertible(2)]), "nested": .dictionary(["k": "v", "n": .stringConvertible(3)]),
                "not_finite": .stringConvertible(Double.infinity),
            ])
        #expect(object["status"] as? Int == 503)
        #expect(object["duration_ms"] as? Double == 1.5)
        #expect((object["ids"] as? [Any])?.count == 2)
        #expect((object["nested"] as? [String: Any])?["n"] as? Int == 3)
        #expect(object["not_finite"] is NSNull)
    }

    @Test func stringsAreEscaped() throws {
        let awkward = "quote \" backslash \\ newline \n tab \t bell \u{07} slash / unicode é 日本 🙂"
        let (line, object) = try logged("\(awkward)", metadata: ["path": .string(awkward)])
        #expect(object["message"] as? String == awkward)
        #expect(object["path"] as? String == awkward)
        #expect(line.contains(#"\u0007"#))
        #expect(line.contains("slash /"), "slashes are not escaped")
    }

    @Test func errorsNameTheirSourceAndMetadataReplacesOwnFields() throws {
        let (_, object) = try logged(level: .error, "failed", metadata: ["service": "overridden"], project: nil)
        #expect(object["severity"] as? String == "ERROR")
        #expect((object["source"] as? String)?.contains("CloudLoggingHandlerTests.swift") == true)
        #expect(object["service"] as? String == "overridden")
        let (_, withoutProject) = try logged("traced", metadata: ["trace_id": "abc"], project: nil)
        #expect(withoutProject["logging.googleapis.com/trace"] as? String == "abc")
    }
}

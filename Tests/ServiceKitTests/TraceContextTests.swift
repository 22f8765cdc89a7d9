import Foundation
import Testing

@testable import ServiceKit

@Suite("Trace context and request ids")
struct TraceContextTests {
    @Test func aValidTraceparentKeepsItsTraceID() {
        let trace = TraceContext.continuing("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.spanID != "00f067aa0ba902b7")
        #expect(trace.sampled)
        #expect(trace.traceparent.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
    }

    @Test(arguments: [
        "", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
    ])
    func invalidTraceparentsStartANewTrace(header: String) {
        let trace = TraceContext.continuing(header)
        #expect(trace.traceID.count == 32)
        #expect(trace.traceID != "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    /// W3C trace context §3.2: later versions may append fields; version 00 may not.
    @Test func eachVersionsFieldsAndFlags() {
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
        #expect(TraceContext.parse("00-\(trace)-00f067aa0ba902b7-00").map { [$0.traceID, "\($0.sampled)"] } == [trace, "false"])
        #expect(TraceContext.parse("00-\(trace)-00f067aa0ba902b7-03")?.sampled == true)
        #expect(TraceContext.parse("01-\(trace)-00f067aa0ba902b7-01-ab12-cd")?.traceID == trace)
        #expect(TraceContext.parse("01-\(trace)-00f067aa0ba902b7-01-")?.traceID == trace)
        for bad in [
            "00-\(trace)-00f067aa0ba902b7-01-ab",  // version 00 has exactly four fields
            "01-\(trace)-00f067aa0ba902b7-01-xyz", "01-\(trace)-00f067aa0ba902b7-01x",
            "00-\(trace)-00f067aa0ba902b7-0g", "0g-\(trace)-00f067aa0ba902b7-01",
            "00-\(trace)-00f067aa0ba902b-701", "00_\(trace)-00f067aa0ba902b7-01",
            "00-\(trace.dropLast())ü-00f067aa0ba902b7-01", "00-\(trace)-00f067aa0ba902b7-01".replacingOccurrences(of: "4b", with: "4B"),
        ] {
            #expect(TraceContext.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func requestIDs() {
        #expect(RequestID.accept("abc.DEF_1:2-3") == "abc.DEF_1:2-3")
        #expect(RequestID.accept(String(repeating: "a", count: 128)).count == 128)
        for bad in ["", String(repeating: "a", count: 129), "a b", "a\nb", "ü", "a/b"] {
            let accepted = RequestID.accept(bad)
            #expect(accepted != bad)
            #expect(RequestID.isValid(accepted))
        }
    }
}

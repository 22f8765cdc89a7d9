import Testing

@testable import ServiceKit

/// The request metrics `/metrics` exposes, recorded through the per-label cache.
@Suite("Service metrics")
struct ServiceMetricsTests {
    @Test func repeatedLabelsCountOnOneSeriesAndOtherLabelsGetTheirOwn() {
        let metrics = ServiceMetrics(service: "rag")
        let search = "/api/v1/rag/search"
        for _ in 0..<3 {
            metrics.recordRequest(route: search, method: "POST", status: 200, httpVersion: "2", duration: .milliseconds(3))
        }
        metrics.recordRequest(route: search, method: "POST", status: 400, httpVersion: "2", duration: .microseconds(300))
        metrics.recordRequest(route: "/liveness", method: "GET", status: 200, httpVersion: "1.1", duration: .microseconds(100))
        let text = metrics.exposition()
        #expect(text.contains(Self.requests("rag", search, "POST", 200, "2") + " 3\n"))
        #expect(text.contains(Self.requests("rag", search, "POST", 400, "2") + " 1\n"))
        #expect(text.contains(Self.requests("rag", "/liveness", "GET", 200, "1.1") + " 1\n"))
        // One duration histogram per route, method and version, whatever the status.
        let labels = #"service="rag",route="\#(search)",method="POST",http_version="2""#
        #expect(text.contains("apex_http_request_duration_seconds_count{\(labels)} 4\n"))
        #expect(text.contains(#"apex_http_request_duration_seconds_bucket{\#(labels),le="0.0005"} 1"#))
    }

    @Test func methodsOutsideHTTPsOwnAreOneLabel() {
        let metrics = ServiceMetrics(service: "rag")
        for made in ["FOO1", "FOO2", "BREW", "get"] {
            metrics.recordRequest(route: "unmatched", method: made, status: 405, httpVersion: "1.1", duration: .microseconds(50))
        }
        metrics.recordRequest(route: "unmatched", method: "PATCH", status: 404, httpVersion: "1.1", duration: .microseconds(50))
        let text = metrics.exposition()
        #expect(text.contains(Self.requests("rag", "unmatched", "OTHER", 405, "1.1") + " 4\n"))
        #expect(text.contains(Self.requests("rag", "unmatched", "PATCH", 404, "1.1") + " 1\n"))
        #expect(!text.contains("FOO1") && !text.contains("BREW"))
    }

    @Test func concurrentRecordsAreAllCounted() async {
        let metrics = ServiceMetrics(service: "memory")
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for _ in 0..<500 {
                        metrics.recordRequest(
                            route: "/r\(task % 2)", method: "GET", status: 200, httpVersion: "2", duration: .milliseconds(1))
                    }
                }
            }
        }
        let text = metrics.exposition()
        #expect(text.contains(Self.requests("memory", "/r0", "GET", 200, "2") + " 2000\n"))
        #expect(text.contains(Self.requests("memory", "/r1", "GET", 200, "2") + " 2000\n"))
    }

    private static func requests(_ service: String, _ route: String, _ method: String, _ status: Int, _ version: String) -> String {
        #"apex_http_requests_total{service="\#(service)",route="\#(route)",method="\#(method)",status="\#(status)",http_version="\#(version)"}"#
    }
}

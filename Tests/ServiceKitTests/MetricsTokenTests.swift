import Testing

@testable import ServiceKit

@Suite("METRICS_TOKEN check")
struct MetricsTokenTests {
    @Test func onlyTheExactBearerHeaderPasses() {
        let token = "metrics-0123456789"
        #expect(HealthController.carries(token, in: "Bearer metrics-0123456789"))
        #expect(HealthController.carries(token, in: "bearer metrics-0123456789"), "the scheme in any case")
        #expect(HealthController.carries(token, in: "BEARER  metrics-0123456789 "), "spaces around the token")
        #expect(!HealthController.carries(token, in: nil))
        #expect(!HealthController.carries(token, in: ""))
        #expect(!HealthController.carries(token, in: "Bearer "))
        #expect(!HealthController.carries(token, in: "Bearer metrics-012345678"), "a prefix")
        #expect(!HealthController.carries(token, in: "Bearer metrics-01234567890"), "longer")
        #expect(!HealthController.carries(token, in: "Bearer metrics-0123456788"), "last byte")
        #expect(!HealthController.carries(token, in: "Basic metrics-0123456789"))
        #expect(!HealthController.carries(token, in: "metrics-0123456789"))
        #expect(!HealthController.carries(token, in: "Bearermetrics-0123456789"))
        #expect(!HealthController.carries(token, in: "Bearer metrics 0123456789"))
    }
}

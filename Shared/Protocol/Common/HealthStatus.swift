/// The body of `/liveness` and `/readiness`: `{"status":"alive"}`, `{"status":"ready"}` or
/// `{"status":"not_ready","error":"…"}`.
///
/// `error` is left out when there is none, exactly as API.md shows the healthy answers; it
/// names the kind of failure (`timeout`, `connection_refused`, an upstream's name), never a
/// message that could leak configuration.
public struct HealthStatus: Sendable, Equatable, Codable {
    public enum State: String, ContractEnum {
        case alive
        case ready
        case notReady = "not_ready"
    }

    public var status: State
    public var error: String?

    public init(status: State, error: String? = nil) {
        self.status = status
        self.error = error
    }

    public static let alive = HealthStatus(status: .alive)
    public static let ready = HealthStatus(status: .ready)

    public static func notReady(_ error: String) -> HealthStatus {
        HealthStatus(status: .notReady, error: error)
    }

    enum CodingKeys: String, CodingKey {
        case status
        case error
    }
}

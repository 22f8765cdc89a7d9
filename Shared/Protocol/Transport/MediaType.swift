/// Content types named by the contract.
public enum MediaType {
    /// Every JSON request and response body.
    public static let json = "application/json"
    /// Error bodies (RFC 9457).
    public static let problemJSON = "application/problem+json"
    /// RFC 7396 merge patches, accepted by `PATCH /api/v1/preferences/{hub}` besides JSON.
    public static let mergePatchJSON = "application/merge-patch+json"
    /// Prometheus text exposition format served at `/metrics`.
    public static let prometheusText = "text/plain; version=0.0.4; charset=utf-8"
}

/// A call the upstream did not process: its stream was refused (`REFUSED_STREAM`, or a GOAWAY
/// naming an earlier stream) or its request never left this process. RFC 9113 §8.7 makes such a
/// request safe to send again whatever its method, so ``ServiceClient`` retries it once, also a
/// POST; callers never see this error.
struct UpstreamNotProcessed: Error, CustomStringConvertible {
    let reason: String
    var description: String { "upstream did not process the request: \(reason)" }
}

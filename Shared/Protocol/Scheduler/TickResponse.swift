/// `POST /internal/tick`: how many due slots this pass claimed and ran, and how many it
/// recorded as `skipped` because the job's previous run was still going.
public struct TickResponse: Sendable, Equatable, Codable {
    public var claimed: Int
    public var skipped: Int

    public init(claimed: Int, skipped: Int) {
        self.claimed = claimed
        self.skipped = skipped
    }

    enum CodingKeys: String, CodingKey {
        case claimed
        case skipped
    }
}

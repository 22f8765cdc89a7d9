/// The answer to `POST /api/v1/memories/scan` (and the output of a `memory_scan` action).
/// A second scan with nothing new completed reports zeros.
public struct MemoryScanResponse: Sendable, Equatable, Codable {
    public var sessionsScanned: Int
    public var memoriesAdded: Int

    public init(sessionsScanned: Int, memoriesAdded: Int) {
        self.sessionsScanned = sessionsScanned
        self.memoriesAdded = memoriesAdded
    }

    enum CodingKeys: String, CodingKey {
        case sessionsScanned = "sessions_scanned"
        case memoriesAdded = "memories_added"
    }
}

/// `POST /api/v1/inbox/read_all`: `{"updated": n}`, how many notifications changed to read.
public struct ReadAllResponse: Sendable, Equatable, Codable {
    public var updated: Int

    public init(updated: Int) {
        self.updated = updated
    }

    enum CodingKeys: String, CodingKey {
        case updated
    }
}

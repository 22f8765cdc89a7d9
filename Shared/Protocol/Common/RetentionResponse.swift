/// `POST /internal/retention` on any service: rows deleted per table,
/// `{"deleted": {"security_logs": 12}}`.
public struct RetentionResponse: Sendable, Equatable, Codable {
    public var deleted: [String: Int]

    public init(deleted: [String: Int]) {
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey {
        case deleted
    }
}

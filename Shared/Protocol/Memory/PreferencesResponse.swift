public import Foundation

/// `GET /api/v1/preferences`: all three hubs at once. `GET`/`PATCH` of one hub answer that
/// hub's object alone (a `JSONObject`), without this wrapper.
public struct PreferencesResponse: Sendable, Equatable, Codable {
    public var preferences: JSONObject
    public var operatingCtx: JSONObject
    public var softIdentity: JSONObject
    /// When any hub last changed; `null` for a user who never set a preference.
    public var updatedAt: Date?

    public init(
        preferences: JSONObject = [:],
        operatingCtx: JSONObject = [:],
        softIdentity: JSONObject = [:],
        updatedAt: Date? = nil
    ) {
        self.preferences = preferences
        self.operatingCtx = operatingCtx
        self.softIdentity = softIdentity
        self.updatedAt = updatedAt
    }

    /// One hub's object.
    public subscript(hub: PreferenceHub) -> JSONObject {
        get {
            switch hub {
            case .preferences: preferences
            case .operatingCtx: operatingCtx
            case .softIdentity: softIdentity
            }
        }
        set {
            switch hub {
            case .preferences: preferences = newValue
            case .operatingCtx: operatingCtx = newValue
            case .softIdentity: softIdentity = newValue
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case preferences
        case operatingCtx = "operating_ctx"
        case softIdentity = "soft_identity"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(preferences, forKey: .preferences)
        try container.encode(operatingCtx, forKey: .operatingCtx)
        try container.encode(softIdentity, forKey: .softIdentity)
        try container.encodeNullable(updatedAt, forKey: .updatedAt)
    }
}

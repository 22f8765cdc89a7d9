/// `PATCH /api/v1/chats/{id}`: `{"title"?, "model"?}`. `"model": null` goes back to the
/// default model, which is why `model` is a `Nullable`; `title` cannot be cleared.
public struct UpdateChatRequest: Sendable, Equatable, Codable {
    public var title: String?
    public var model: Nullable<String>

    public init(title: String? = nil, model: Nullable<String> = .absent) {
        self.title = title
        self.model = model
    }

    enum CodingKeys: String, CodingKey {
        case title
        case model
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decodeNonNullIfPresent(String.self, forKey: .title)
        model = try container.decodeNullable(String.self, forKey: .model)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(title, forKey: .title)
        try container.encodeNullable(model, forKey: .model)
    }
}

extension UpdateChatRequest: ContractValidatable {
    /// API.md sets no rule on these fields beyond their types, which decoding already checks.
    public func validate() -> [FieldError] {
        []
    }
}

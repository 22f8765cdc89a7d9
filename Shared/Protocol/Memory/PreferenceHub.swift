/// The three preference hubs of a user, as named in `/api/v1/preferences/{hub}`.
/// Any other `{hub}` is answered 404.
public enum PreferenceHub: String, ContractEnum {
    /// Explicit likes and settings ("answer in French").
    case preferences
    /// The user's current working context (project, tools, locale).
    case operatingCtx = "operating_ctx"
    /// Inferred traits and style, softer than preferences.
    case softIdentity = "soft_identity"
}

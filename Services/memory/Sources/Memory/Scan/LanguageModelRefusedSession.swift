/// The model's API refused the request built from one session (400, 413, 422): a problem of
/// that session's text, recorded for it, not a reason to stop the whole scan.
struct LanguageModelRefusedSession: Error, CustomStringConvertible, Equatable {
    let status: Int
    var description: String { "the language model refused the session's request (HTTP \(status))" }
}

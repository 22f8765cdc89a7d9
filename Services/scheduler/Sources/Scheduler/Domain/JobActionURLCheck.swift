import ApexProtocol

/// The contract's own URL rules for `http` actions (scheme, user info, characters), reused at
/// run time so a row written before a rule existed is held to it too.
enum JobActionURLCheck {
    static func fault(_ url: String) -> String? {
        JobAction.urlFault(url)
    }
}

/// One piece of a user's keyword query, read the way `websearch_to_tsquery` reads it: a word, a
/// `"quoted phrase"`, either of them excluded with a leading `-`, or the word `or` between
/// alternatives.
///
/// `KeywordQuery` rebuilds the query from these, so that what reaches PostgreSQL is always in
/// the simple, bounded shape it was checked in.
enum KeywordQueryToken: Hashable, Sendable {
    case word(String, excluded: Bool)
    case phrase(String, excluded: Bool)
    case or

    /// Characters that `websearch_to_tsquery` skips or splits on in an operand (`! & | ( ) <`),
    /// plus `:`, which `to_tsquery` reads as a weight: each splits a word in two.
    private static let operatorCharacters: Set<Character> = ["!", "&", "|", "(", ")", "<", ":"]

    /// The tokens of `query`, which must already be free of control characters.
    ///
    /// Unlike PostgreSQL, a `-` standing alone (`pros - cons`) excludes nothing: only a `-` joined
    /// to a word or phrase does (`-cons`, `-"pros and cons"`), as in web search engines.
    static func tokens(of query: String) -> [KeywordQueryToken] {
        var tokens: [KeywordQueryToken] = []
        var index = query.startIndex
        var excludeNextPhrase = false
        while index < query.endIndex {
            let character = query[index]
            if character.isWhitespace {
                excludeNextPhrase = false
                index = query.index(after: index)
            } else if character == "\"" {
                let start = query.index(after: index)
                let end = query[start...].firstIndex(of: "\"") ?? query.endIndex
                tokens.append(.phrase(String(query[start..<end]), excluded: excludeNextPhrase))
                excludeNextPhrase = false
                index = end < query.endIndex ? query.index(after: end) : end
            } else {
                var end = index
                while end < query.endIndex, !query[end].isWhitespace, query[end] != "\"" {
                    end = query.index(after: end)
                }
                let parts = query[index..<end].split(
                    omittingEmptySubsequences: false,
                    whereSeparator: { operatorCharacters.contains($0) }
                )
                for part in parts {
                    let body = part.drop(while: { $0 == "-" })
                    if body.isEmpty { continue }
                    let excluded = body.startIndex != part.startIndex
                    if !excluded, body.lowercased() == "or" {
                        tokens.append(.or)
                    } else {
                        tokens.append(.word(String(body), excluded: excluded))
                    }
                }
                // `-"phrase"`: dashes joined to the opening quote exclude the phrase.
                let last = parts.last ?? ""
                excludeNextPhrase = !last.isEmpty && last.allSatisfy { $0 == "-" }
                index = end
            }
        }
        return tokens
    }
}

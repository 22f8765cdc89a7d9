/// The keyword side of a search, made safe and bounded for
/// `websearch_to_tsquery('english', $1)` before it reaches the database.
///
/// Any text a user types must give an answer, never a 500 and never a scan of a whole tenant:
/// - control characters go (PostgreSQL refuses NUL in text; the others only add noise);
/// - the query is cut to `maximumLength` characters and `maximumTerms` terms, and rebuilt so that
///   every `-` is joined to exactly one word or phrase — a long pasted question or a markdown
///   table (`|---|---|`) otherwise piles up NOT operators until PostgreSQL fails with
///   `tsquery stack too small`;
/// - what can match nothing is reported rather than sent: punctuation, emoji or blanks alone
///   (`nothingSearchable`) and English stop words alone (`onlyStopWords`, which PostgreSQL drops);
/// - alternatives made only of exclusions and stop words (`we and -foo`, `-foo`, `bar or -foo`)
///   are dropped: `!'foo'` matches nearly every row, which PERFORMANCE.md measured at ~250 ms for
///   a large tenant. When nothing else remains the query is `onlyExclusions`.
///
/// When `isSearchable` is false the search runs its vector side only.
public struct KeywordQuery: Sendable, Hashable {
    /// Why the keyword side runs, or why it does not.
    public enum Disposition: String, Sendable, Hashable {
        case searchable
        /// Blank, punctuation, symbols or emoji: no word at all.
        case nothingSearchable
        /// Only English stop words, which full-text search ignores.
        case onlyStopWords
        /// Only exclusions (with at most stop words beside them): would match nearly everything.
        case onlyExclusions
    }

    /// What was changed on the way, for logs and metrics.
    public struct Adjustments: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// The query was longer than `maximumLength` characters.
        public static let truncated = Adjustments(rawValue: 1 << 0)
        /// Control characters were replaced by spaces.
        public static let removedControlCharacters = Adjustments(rawValue: 1 << 1)
        /// Terms past `maximumTerms` were left out.
        public static let cappedTerms = Adjustments(rawValue: 1 << 2)
        /// An alternative made only of exclusions (and stop words) was left out.
        public static let droppedExclusionOnlyAlternative = Adjustments(rawValue: 1 << 3)
    }

    /// The API's own bound on `query`.
    public static let maximumLength = 2000
    /// Well below the 32-deep operator stack of PostgreSQL's tsquery parser, and more words than
    /// any real question needs to be found.
    public static let maximumTerms = 32

    /// PostgreSQL's `english` stop words (the Snowball list): the words `websearch_to_tsquery`
    /// drops, so a query made only of them matches nothing.
    public static let englishStopWords: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
        "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
        "by", "can", "did", "do", "does", "doing", "don", "down", "during", "each", "few", "for",
        "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
        "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
        "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
        "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "s",
        "same", "she", "should", "so", "some", "such", "t", "than", "that", "the", "their",
        "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what",
        "when", "where", "which", "while", "who", "whom", "why", "will", "with", "you", "your",
        "yours", "yourself", "yourselves",
    ]

    /// The query to bind as `websearch_to_tsquery`'s text; empty when not searchable.
    public let text: String
    public let disposition: Disposition
    public let adjustments: Adjustments
    /// Searchable terms in `text` (words other than stop words; every word of a phrase).
    public let termCount: Int

    /// Whether the keyword side should run at all.
    public var isSearchable: Bool { disposition == .searchable }

    public init(
        _ query: String,
        maximumLength: Int = KeywordQuery.maximumLength,
        maximumTerms: Int = KeywordQuery.maximumTerms
    ) {
        var adjustments: Adjustments = []

        // 1. Bound the length and drop control characters.
        var cleaned = ""
        var length = 0
        for character in query {
            if length == maximumLength {
                adjustments.insert(.truncated)
                break
            }
            length += 1
            if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                adjustments.insert(.removedControlCharacters)
                cleaned.append(" ")
            } else {
                cleaned.append(character)
            }
        }

        // 2. Keep words and phrases that can match, up to the term budget.
        var budget = maximumTerms
        var sawStopWords = false
        var kept: [(token: KeywordQueryToken, terms: Int)] = []
        tokens: for token in KeywordQueryToken.tokens(of: cleaned) {
            switch token {
            case .or:
                sawStopWords = true  // "or" alone is the stop word "or"
                kept.append((token, 0))
            case let .word(body, excluded):
                let terms = Self.terms(of: Substring(body))
                let significant = terms.filter { !$0.isStopWord }.count
                guard significant > 0 else {
                    if !terms.isEmpty { sawStopWords = true }
                    continue
                }
                guard significant <= budget else {
                    adjustments.insert(.cappedTerms)
                    break tokens
                }
                budget -= significant
                kept.append((.word(body, excluded: excluded), significant))
            case let .phrase(content, excluded):
                // Every word of a phrase counts: PostgreSQL keeps stop words' positions in it.
                let terms = Self.terms(of: Substring(content))
                guard terms.contains(where: { !$0.isStopWord }) else {
                    if !terms.isEmpty { sawStopWords = true }
                    continue
                }
                if terms.count <= budget {
                    budget -= terms.count
                    kept.append((.phrase(Self.trimmed(content), excluded: excluded), terms.count))
                    continue
                }
                adjustments.insert(.cappedTerms)
                let head = terms.prefix(budget)
                if let end = head.last?.range.upperBound, head.contains(where: { !$0.isStopWord }) {
                    let start = content.startIndex
                    kept.append((.phrase(Self.trimmed(String(content[start..<end])), excluded: excluded), head.count))
                }
                break tokens
            }
        }

        // 3. Group into alternatives; drop those that would match (nearly) everything.
        var alternatives: [[(token: KeywordQueryToken, terms: Int)]] = [[]]
        for item in kept {
            if case .or = item.token {
                alternatives.append([])
            } else {
                alternatives[alternatives.count - 1].append(item)
            }
        }
        var clauses: [String] = []
        var termCount = 0
        for alternative in alternatives where !alternative.isEmpty {
            let includes = alternative.contains { item in
                switch item.token {
                case let .word(_, excluded), let .phrase(_, excluded): !excluded
                case .or: false
                }
            }
            guard includes else {
                adjustments.insert(.droppedExclusionOnlyAlternative)
                continue
            }
            clauses.append(alternative.map { Self.render($0.token) }.joined(separator: " "))
            termCount += alternative.reduce(0) { $0 + $1.terms }
        }

        self.adjustments = adjustments
        self.termCount = termCount
        if !clauses.isEmpty {
            text = clauses.joined(separator: " or ")
            disposition = .searchable
        } else {
            text = ""
            if adjustments.contains(.droppedExclusionOnlyAlternative) {
                disposition = .onlyExclusions
            } else if sawStopWords {
                disposition = .onlyStopWords
            } else {
                disposition = .nothingSearchable
            }
        }
    }

    // MARK: - Terms

    /// The runs of letters and digits in `text` — roughly what PostgreSQL's parser makes lexemes
    /// of — each with whether it is a stop word.
    private static func terms(of text: Substring) -> [(range: Range<String.Index>, isStopWord: Bool)] {
        var terms: [(range: Range<String.Index>, isStopWord: Bool)] = []
        var start: String.Index?
        var index = text.startIndex
        func close(at end: String.Index) {
            guard let begin = start else { return }
            terms.append((begin..<end, englishStopWords.contains(text[begin..<end].lowercased())))
            start = nil
        }
        while index < text.endIndex {
            let character = text[index]
            if character.isLetter || character.isNumber {
                if start == nil { start = index }
            } else {
                close(at: index)
            }
            index = text.index(after: index)
        }
        close(at: text.endIndex)
        return terms
    }

    private static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    private static func render(_ token: KeywordQueryToken) -> String {
        switch token {
        case let .word(body, excluded): (excluded ? "-" : "") + body
        case let .phrase(content, excluded): (excluded ? "-" : "") + "\"" + content + "\""
        case .or: "or"
        }
    }
}

import Testing

@testable import SemanticSearch

@Suite("Keyword query")
struct KeywordQueryTests {
    // MARK: Plain queries

    @Test func plainWordsPassThrough() {
        let query = KeywordQuery("hybrid search pgvector")
        #expect(query.text == "hybrid search pgvector")
        #expect(query.isSearchable)
        #expect(query.disposition == .searchable)
        #expect(query.adjustments.isEmpty)
        #expect(query.termCount == 3)
    }

    @Test func stopWordsAreLeftOutOfTheText() {
        let query = KeywordQuery("What is the best vector index for a small tenant?")
        #expect(query.text == "best vector index small tenant?")
        #expect(query.termCount == 5)
    }

    @Test func punctuationInsideWordsIsKept() {
        // PostgreSQL's parser knows hosts, versions and hyphenated words; leave them whole.
        #expect(KeywordQuery("node.js e-mail v1.2.3 C++").text == "node.js e-mail v1.2.3 C++")
    }

    // MARK: Nothing to search

    @Test(arguments: ["", "   ", "?!...", "---", "- - -", "|---|---|", "👍🏽 🎉", "\"\"", "& | ! ( ) <"])
    func nothingSearchable(raw: String) {
        let query = KeywordQuery(raw)
        #expect(query.disposition == .nothingSearchable)
        #expect(!query.isSearchable)
        #expect(query.text == "")
        #expect(query.termCount == 0)
    }

    @Test(arguments: ["the", "to be or not to be", "\"to be or not to be\"", "What is it?", "or", "Don't"])
    func onlyStopWords(raw: String) {
        let query = KeywordQuery(raw)
        #expect(query.disposition == .onlyStopWords)
        #expect(!query.isSearchable)
        #expect(query.text == "")
    }

    // MARK: Exclusions

    @Test(arguments: ["we and -foo", "-foo", "-foo -bar", "the -\"exact phrase\"", "-foo or -bar"])
    func exclusionsAloneAreNotSearched(raw: String) {
        let query = KeywordQuery(raw)
        #expect(query.disposition == .onlyExclusions)
        #expect(!query.isSearchable)
        #expect(query.text == "")
        #expect(query.adjustments.contains(.droppedExclusionOnlyAlternative))
    }

    @Test func exclusionsBesideATermAreKept() {
        #expect(KeywordQuery("postgres -mysql").text == "postgres -mysql")
        #expect(KeywordQuery("postgres -\"stack overflow\"").text == "postgres -\"stack overflow\"")
        #expect(KeywordQuery("postgres --mysql").text == "postgres -mysql")
    }

    @Test func anAlternativeOfOnlyExclusionsIsDropped() {
        let query = KeywordQuery("bar or -foo")
        #expect(query.text == "bar")
        #expect(query.isSearchable)
        #expect(query.adjustments.contains(.droppedExclusionOnlyAlternative))
        #expect(KeywordQuery("-foo or bar -baz").text == "bar -baz")
    }

    @Test func aLoneDashExcludesNothing() {
        #expect(KeywordQuery("pros - cons").text == "pros cons")
        #expect(KeywordQuery("pros -- cons").text == "pros cons")
    }

    // MARK: Operators

    @Test func quotedPhrasesAreKept() {
        let query = KeywordQuery("\"retrieval augmented generation\" pgvector")
        #expect(query.text == "\"retrieval augmented generation\" pgvector")
        #expect(query.termCount == 4)
        #expect(KeywordQuery("\"  spaced   out \"").text == "\"spaced   out\"")
        #expect(KeywordQuery("\"unclosed phrase").text == "\"unclosed phrase\"")
        #expect(KeywordQuery("a\"b c\"d").text == "\"b c\" d")  // "a" is a stop word
    }

    @Test func orJoinsAlternatives() {
        #expect(KeywordQuery("cats OR dogs").text == "cats or dogs")
        #expect(KeywordQuery("cats or dogs or").text == "cats or dogs")
        #expect(KeywordQuery("or cats").text == "cats")
        #expect(KeywordQuery("cats or or dogs").text == "cats or dogs")
        #expect(KeywordQuery("cats or the dogs").text == "cats or dogs")
        #expect(KeywordQuery("\"cats or dogs\"").text == "\"cats or dogs\"")
    }

    @Test func tsqueryOperatorCharactersSplitWords() {
        #expect(KeywordQuery("rust&go | (swift)").text == "rust go swift")
        #expect(KeywordQuery("title:intro").text == "title intro")
        #expect(KeywordQuery("-!-!-!foo").text == "foo")
    }

    // MARK: Bounds

    @Test func longQueriesAreCappedInTerms() {
        let words = (1...150).map { "term\($0)" }
        let query = KeywordQuery(words.joined(separator: " "))
        #expect(query.isSearchable)
        #expect(query.termCount == KeywordQuery.maximumTerms)
        #expect(query.text == words.prefix(32).joined(separator: " "))
        #expect(query.adjustments.contains(.cappedTerms))
    }

    @Test func stopWordsDoNotUseTheTermBudget() {
        let words = (1...40).flatMap { ["the", "word\($0)"] }
        let query = KeywordQuery(words.joined(separator: " "))
        #expect(query.termCount == 32)
        #expect(query.text.hasPrefix("word1 word2 "))
        #expect(query.text.hasSuffix(" word32"))
    }

    @Test func aLongPhraseIsCutToTheBudget() {
        let phrase = (1...40).map { "p\($0)" }.joined(separator: " ")
        let query = KeywordQuery("\"\(phrase)\"")
        #expect(query.text == "\"" + (1...32).map { "p\($0)" }.joined(separator: " ") + "\"")
        #expect(query.adjustments.contains(.cappedTerms))
    }

    @Test func longInputIsTruncated() {
        let raw = String(repeating: "abcdefghij", count: 300)  // one 3000-character word
        let query = KeywordQuery(raw)
        #expect(query.adjustments.contains(.truncated))
        #expect(query.text.count == KeywordQuery.maximumLength)
    }

    @Test func manyDashesNeverReachPostgres() {
        // 33 stand-alone "-" make `websearch_to_tsquery` fail with "tsquery stack too small".
        let query = KeywordQuery(String(repeating: "- ", count: 100) + "needle" + String(repeating: " -", count: 100))
        #expect(query.text == "needle")
        let table = KeywordQuery("| name | value |\n|------|-------|\n| a | b |")
        #expect(table.text == "name value b")
    }

    // MARK: Characters

    @Test func controlCharactersAreRemoved() {
        let query = KeywordQuery("foo\u{0}bar\u{7}baz\tqux\r\nquux\u{85}end\u{9F}")
        #expect(query.text == "foo bar baz qux quux end")
        #expect(query.adjustments.contains(.removedControlCharacters))
        #expect(!query.text.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func unicodeWordsAreSearchable() {
        #expect(KeywordQuery("café naïve Ünïcödé").text == "café naïve Ünïcödé")
        #expect(KeywordQuery("日本語 検索").text == "日本語 検索")
        #expect(KeywordQuery("cafe\u{301}").termCount == 1)
        #expect(KeywordQuery("Ελληνικά -русский").text == "Ελληνικά -русский")
        #expect(KeywordQuery("THE AND").disposition == .onlyStopWords)  // case-insensitive
    }

    @Test func anythingTypedGivesABoundedWellFormedQuery() {
        var state: UInt64 = 12345
        let alphabet = Array("ab cd-\"\"orOR!&|()<:*'\\ \u{0}\u{7}\t\n👍🏽é日-- - the and we")
        for _ in 0..<500 {
            var raw = ""
            for _ in 0..<(Int(state % 300)) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                raw.append(alphabet[Int((state >> 33) % UInt64(alphabet.count))])
            }
            let query = KeywordQuery(raw)
            #expect(query.text.count <= KeywordQuery.maximumLength + 2)
            #expect(query.termCount <= KeywordQuery.maximumTerms)
            #expect(query.text.filter { $0 == "\"" }.count % 2 == 0)
            #expect(!query.text.unicodeScalars.contains { $0.properties.generalCategory == .control })
            #expect(query.isSearchable == !query.text.isEmpty)
            // Outside phrases: no operator characters, and a word starts with at most one "-".
            let characters = Array(query.text)
            var inPhrase = false
            for (index, character) in characters.enumerated() {
                if character == "\"" {
                    inPhrase.toggle()
                    continue
                }
                guard !inPhrase else { continue }
                #expect(!"!&|()<:".contains(character), "\(query.text)")
                let startsWord = index == 0 || characters[index - 1] == " "
                if startsWord, character == "-", index + 1 < characters.count {
                    #expect(characters[index + 1] != "-" && characters[index + 1] != " ", "\(query.text)")
                }
            }
        }
    }
}

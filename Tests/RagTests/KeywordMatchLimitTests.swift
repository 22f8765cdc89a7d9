import ApexProtocol
import ApexTestSupport
import Foundation
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Rag

/// `KEYWORD_MATCH_LIMIT`: the keyword side ranks at most that many matches of a tenant, so a
/// query of common words costs what a rare one does (Benchmarks/Rag/README.md).
@Suite("Keyword match limit")
struct KeywordMatchLimitTests {
    /// 60 documents share the word "zebrafish"; one of them also has "quokka".
    static func corpus() -> [(String, String)] {
        (0..<60).map { index in
            let extra = index == 41 ? " A quokka visited the zebrafish tank." : ""
            return ("note-\(index).txt", "Lab note \(index): the zebrafish were fed at noon and measured.\(extra)")
        }
    }

    @Test func aQueryMatchingMoreThanTheLimitStillAnswersFromItsMatches() async throws {
        try await RagTestApp.make(["KEYWORD_MATCH_LIMIT": "50"]).test(.router) { client in
            let rag = client.rag()
            for (filename, content) in Self.corpus() { _ = try await rag.upload(filename, content) }

            // 60 matches, 50 ranked: a full page of keyword hits, every one a real match.
            let common = try await rag.search("zebrafish", mode: .keyword, limit: 10)
            #expect(common.results.count == 10)
            #expect(common.results.allSatisfy { $0.content.contains("zebrafish") })
            #expect(common.results.map(\.keywordRank) == (1...10).map { Optional($0) })

            // A rarer conjunction is under the limit and ranked exactly as before.
            let rare = try await rag.search("zebrafish quokka", mode: .keyword, limit: 10)
            #expect(rare.results.map(\.filename) == ["note-41.txt"])

            // Hybrid search on the common word still fills the page from both sides.
            let hybrid = try await rag.search("zebrafish", limit: 10)
            #expect(hybrid.results.count == 10)
            #expect(hybrid.results.contains { $0.keywordRank != nil && $0.vectorRank != nil })
        }
    }

    @Test func theLimitIsAValidatedSetting() throws {
        #expect(try RagTestApp.settings().keywordMatchLimit == 1000)
        #expect(try RagTestApp.settings(["KEYWORD_MATCH_LIMIT": "5000"]).keywordMatchLimit == 5000)
        let error = #expect(throws: ConfigurationError.self) { try RagTestApp.settings(["KEYWORD_MATCH_LIMIT": "10"]) }
        #expect(error?.variable == "KEYWORD_MATCH_LIMIT")
    }
}

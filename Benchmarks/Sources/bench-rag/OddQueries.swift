import ApexProtocol
import Foundation
import ServiceKit

/// Pathological and odd query strings through the service, for the heavy user and a light one:
/// each must answer 200 quickly (stop words plus an exclusion matched nearly every row in the
/// Python peer: ~250 ms).
struct OddQueries {
    let client: ServiceClient
    let corpus: SyntheticCorpus
    let repeats: Int

    func run() async throws {
        let frequent = corpus.vocabulary.words[ZipfVocabulary.stopWords.count]
        let long = (0..<120).map { corpus.vocabulary.words[ZipfVocabulary.stopWords.count + $0 * 7] }.joined(separator: " ")
        let cases: [(String, String)] = [
            ("stop words + exclusion", "we and -foo"),
            ("exclusion only", "-\(frequent)"),
            ("stop words only", "the of and to"),
            ("or + exclusion", "\(frequent) or -foo"),
            ("most frequent content word", frequent),
            ("punctuation only", "!!! ??? ..."),
            ("operators", "\"\(frequent) -\" OR -(-) | & ! <-> :*"),
            ("120-word query", long),
            ("2000 characters", String(repeating: "\(frequent) ", count: 2000 / (frequent.count + 1))),
        ]
        for user in [SyntheticCorpus.userID(0), SyntheticCorpus.userID(1)] {
            for (label, query) in cases {
                var millis: [Double] = []
                var results = 0
                for _ in 0..<repeats {
                    let started = ContinuousClock.now
                    let response: SearchResponse = try await client.call(
                        .post, "/api/v1/search", body: SearchRequest(query: query, limit: 10), as: user)
                    millis.append((ContinuousClock.now - started) / .milliseconds(1))
                    results = response.results.count
                }
                let stats = LatencyStats(samplesMilliseconds: millis, elapsedSeconds: 1)
                print("odd \(user) \(label): 200, \(results) results, p50 \(fmt(stats.p50, 2)) ms, max \(fmt(millis.max() ?? 0, 2)) ms")
            }
        }
    }
}

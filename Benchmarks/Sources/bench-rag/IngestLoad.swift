import ApexProtocol
import Foundation
import ServiceKit

/// Ingest throughput through the real path: `POST /api/v1/documents` to a running apex-rag
/// (hash embedder), from `clients` concurrent uploaders over one HTTP/2 connection.
///
/// Each document is 20 paragraphs made like corpus chunks (60–100 words, ~550 characters),
/// separated by blank lines; the service's chunker (CHUNK_SIZE 1000, CHUNK_OVERLAP 150) cuts one
/// chunk per paragraph, each carrying up to 150 characters of overlap, so stored chunks average
/// ~700 characters. Throughput counts the chunks the service reports (`total_chunks`).
struct IngestLoad {
    let client: ServiceClient
    let corpus: SyntheticCorpus
    let chunks: Int
    let clients: Int
    let prefix: String
    let paragraphsPerDocument = 20

    func run() async throws {
        let documentCount = (chunks + paragraphsPerDocument - 1) / paragraphsPerDocument
        let users = 8
        // A run-specific seed so repeated runs never hit dedup.
        let seed = UInt64(Date().timeIntervalSince1970 * 1000)
        let corpus = self.corpus
        let paragraphs = paragraphsPerDocument
        let requests: [(user: String, body: CreateDocumentRequest)] = (0..<documentCount).map { number in
            let text = (0..<paragraphs).map { corpus.chunkText(user: 1000 + Int(seed % 100_000), document: number, chunk: $0) }
                .joined(separator: "\n\n")
            return ("\(prefix)-\(number % users)", CreateDocumentRequest(filename: "ingest-\(seed)-\(number).txt", content: text))
        }
        let characters = requests.reduce(0) { $0 + $1.body.content.count }
        let started = ContinuousClock.now
        let (stored, latencies) = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
            for worker in 0..<clients {
                group.addTask { [client] in
                    var stored = 0
                    var latencies: [Double] = []
                    var index = worker
                    while index < requests.count {
                        let sent = ContinuousClock.now
                        let document: Document = try await client.call(
                            .post, "/api/v1/documents", body: requests[index].body, as: requests[index].user)
                        latencies.append((ContinuousClock.now - sent) / .milliseconds(1))
                        guard !document.deduplicated else { throw BenchError("document \(index) was deduplicated: not a fresh ingest") }
                        stored += document.totalChunks
                        index += clients
                    }
                    return (stored, latencies)
                }
            }
            return try await group.reduce(into: (0, [Double]())) {
                $0.0 += $1.0; $0.1 += $1.1
            }
        }
        let elapsed = seconds(ContinuousClock.now - started)
        let stats = LatencyStats(samplesMilliseconds: latencies, elapsedSeconds: elapsed)
        print(
            "ingest: \(documentCount) documents, \(stored) chunks (\(fmt(Double(characters) / Double(stored), 0)) source chars per chunk) in \(fmt(elapsed, 2)) s "
                + "= \(fmt(Double(stored) / elapsed, 0)) chunks/s, \(fmt(Double(documentCount) / elapsed, 1)) documents/s; "
                + "per upload p50 \(fmt(stats.p50)) p95 \(fmt(stats.p95)) p99 \(fmt(stats.p99)) ms; \(clients) concurrent uploaders")
    }
}

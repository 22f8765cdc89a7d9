import Synchronization
import Testing

@testable import Embeddings

@Suite("inference gate")
struct InferenceGateTests {
    final class Order: Sendable {
        let names = Mutex<[String]>([])
        func append(_ name: String) { names.withLock { $0.append(name) } }
        var value: [String] { names.withLock { $0 } }
    }

    @Test("one pass at a time; waiting interactive passes go before waiting bulk passes")
    func priority() async throws {
        let gate = InferenceGate()
        let order = Order()
        await gate.acquire(interactive: false)  // a bulk pass is running
        let bulk = Task {
            await gate.acquire(interactive: false)
            order.append("bulk")
            gate.release()
        }
        while gate.waiting < 1 { await Task.yield() }
        let query = Task {
            await gate.acquire(interactive: true)
            order.append("query")
            gate.release()
        }
        while gate.waiting < 2 { await Task.yield() }
        #expect(order.value.isEmpty)
        gate.release()
        await bulk.value
        await query.value
        #expect(order.value == ["query", "bulk"])
        #expect(gate.waiting == 0)
    }

    @Test("a query issued during a large ingest finishes long before it")
    func queryDuringIngest() async throws {
        // Passes of one chunk each, so that the ingest is many passes long.
        let embedder = try MiniLMEmbedder(directory: ModelUnderTest.directory(), threads: 2, maxBatchTokens: 256)
        let chunk = Array(repeating: "vector search over document chunks", count: 60).joined(separator: " ")
        let clock = ContinuousClock()
        let start = clock.now
        let ingest = Task {
            _ = try await embedder.embed(Array(repeating: chunk, count: 8)); return clock.now
        }
        try await Task.sleep(for: .milliseconds(50))
        _ = try await embedder.embed(["where is the nearest train station?"])
        let queryDone = clock.now
        let ingestDone = try await ingest.value
        #expect(queryDone < ingestDone, "query at \(queryDone - start), ingest at \(ingestDone - start)")
    }
}

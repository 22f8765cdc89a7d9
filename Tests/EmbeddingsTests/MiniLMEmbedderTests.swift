import Foundation
import Testing

@testable import Embeddings

/// Embeddings against Tests/EmbeddingsTests/Fixtures/embeddings.json: a float64 NumPy forward
/// pass written from config.json and model.safetensors (scripts/make-embedding-fixtures.py,
/// ids from Hugging Face `tokenizers`), cross-checked against sentence-transformers' `encode`
/// (agreement recorded in the fixture's `cross_check`).
@Suite("all-MiniLM-L6-v2 embedder")
struct MiniLMEmbedderTests {
    @Test("reports all-MiniLM-L6-v2, dimension 384")
    func modelInfo() throws {
        let embedder = try ModelUnderTest.embedder()
        #expect(embedder.model == EmbeddingModelInfo(name: "all-MiniLM-L6-v2", dimension: 384))
    }

    @Test("embeddings are within cosine 0.9999 of the reference, short texts and near 256 tokens")
    func matchesReferenceEmbeddings() async throws {
        let embedder = try ModelUnderTest.embedder()
        let fixture = try ReferenceFixtures.load("embeddings", as: ReferenceFixtures.EmbeddingFile.self)
        #expect(fixture.cases.count >= 20)
        #expect(fixture.cases.contains { $0.tokens >= 250 } && fixture.cases.contains { $0.tokens <= 16 })
        // All in one call (one packed pass, mixed lengths) ...
        let vectors = try await embedder.embed(fixture.cases.map(\.text))
        var worst = 1.0
        for (testCase, vector) in zip(fixture.cases, vectors) {
            #expect(vector.count == 384)
            #expect(abs(norm(vector) - 1) < 1e-5)
            #expect(embedder.tokenIDs(of: testCase.text).count == testCase.tokens)
            let similarity = cosine(vector, testCase.embedding)
            worst = min(worst, similarity)
            #expect(similarity >= 0.9999, "cosine \(similarity) for \(testCase.text.prefix(60).debugDescription)")
        }
        // ... and one at a time: the same vectors.
        for (testCase, batched) in zip(fixture.cases, vectors).prefix(8) {
            let single = try await embedder.embed([testCase.text])[0]
            #expect(cosine(single, batched) >= 0.99999)
        }
        print("worst cosine against the reference: \(worst)")
    }

    @Test("a paraphrase scores higher than an unrelated sentence")
    func semanticSanity() async throws {
        let embedder = try ModelUnderTest.embedder()
        let triples: [(String, String, String)] = [
            ("How do I reset my password?", "I forgot my password and need to change it.", "The stock market fell sharply today."),
            ("A man is playing a guitar.", "Someone is playing an acoustic guitar.", "A chef is cooking pasta in the kitchen."),
            ("The cat sleeps on the sofa.", "A kitten is napping on the couch.", "Interest rates rose by half a percent."),
            (
                "Where is the nearest train station?", "How can I get to the closest railway station?",
                "Photosynthesis converts light into chemical energy."
            ),
        ]
        for (anchor, paraphrase, unrelated) in triples {
            let v = try await embedder.embed([anchor, paraphrase, unrelated])
            let close = cosine(v[0], v[1])
            let far = cosine(v[0], v[2])
            #expect(close > far + 0.2, "\(anchor): paraphrase \(close), unrelated \(far)")
        }
    }

    @Test("concurrent calls queue and give the same vectors")
    func concurrentCalls() async throws {
        let embedder = try ModelUnderTest.embedder()
        let texts = ["first text", "a second, longer text about databases and vector search", "third"]
        let expected = try await embedder.embed(texts)
        try await withThrowingTaskGroup(of: [[Float]].self) { group in
            for _ in 0..<6 {
                group.addTask { try await embedder.embed(texts) }
            }
            for try await result in group {
                for (a, b) in zip(result, expected) {
                    #expect(cosine(a, b) >= 0.999999)
                }
            }
        }
    }

    @Test("large requests are split into passes without changing the vectors")
    func splitsIntoPasses() async throws {
        let small = try MiniLMEmbedder(directory: ModelUnderTest.directory(), threads: 1, maxBatchTokens: 256)
        let texts = (0..<5).map { "Sentence number \($0) about the weather in Paris and Berlin." }
        let a = try await small.embed(texts)
        let b = try await ModelUnderTest.embedder().embed(texts)
        for (x, y) in zip(a, b) {
            #expect(cosine(x, y) >= 0.99999)
        }
        #expect(try await small.embed([]).isEmpty)
    }
}

@Suite("all-MiniLM-L6-v2 start-up errors")
struct MiniLMStartupErrorTests {
    /// A directory with links to the real model files, minus/plus what a test changes.
    func modelCopy(omitting omitted: String? = nil) throws -> URL {
        let source = try ModelUnderTest.directory()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("minilm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in ["model.safetensors", "vocab.txt", "config.json", "tokenizer.json"] where file != omitted {
            try FileManager.default.createSymbolicLink(
                at: directory.appendingPathComponent(file), withDestinationURL: source.appendingPathComponent(file))
        }
        return directory
    }

    @Test(
        "a missing file is one clear error naming it and LOCAL_MODEL_DIR",
        arguments: ["model.safetensors", "vocab.txt", "config.json", "tokenizer.json"])
    func missingFile(_ file: String) throws {
        let directory = try modelCopy(omitting: file)
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try #require(throws: EmbedderError.self) {
            try MiniLMEmbedder(directory: directory, threads: 1)
        }
        #expect(error == .modelFileMissing(file: file, directory: directory.path))
        #expect(error.description.contains(file) && error.description.contains("LOCAL_MODEL_DIR"))
    }

    @Test("a truncated model.safetensors is reported as corrupt")
    func truncatedWeights() throws {
        let directory = try modelCopy(omitting: "model.safetensors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = try Data(contentsOf: ModelUnderTest.directory().appendingPathComponent("model.safetensors"))
        try real.prefix(1_000_000).write(to: directory.appendingPathComponent("model.safetensors"))
        let error = try #require(throws: EmbedderError.self) {
            try MiniLMEmbedder(directory: directory, threads: 1)
        }
        guard case let .modelFileCorrupt(file, _, reason) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(file == "model.safetensors")
        #expect(reason.contains("header length") || reason.contains("data_offsets"))
    }

    @Test("a config.json of another model, or not JSON, is reported as corrupt")
    func wrongConfig() throws {
        for contents in [
            #"{"model_type":"bert","hidden_size":768,"num_hidden_layers":12,"num_attention_heads":12,"intermediate_size":3072,"vocab_size":30522,"max_position_embeddings":512}"#,
            "not json",
        ] {
            let directory = try modelCopy(omitting: "config.json")
            defer { try? FileManager.default.removeItem(at: directory) }
            try Data(contents.utf8).write(to: directory.appendingPathComponent("config.json"))
            let error = try #require(throws: EmbedderError.self) {
                try MiniLMEmbedder(directory: directory, threads: 1)
            }
            guard case let .modelFileCorrupt(file, _, _) = error else {
                Issue.record("unexpected \(error)")
                continue
            }
            #expect(file == "config.json")
        }
    }

    @Test("a vocab.txt that does not match tokenizer.json is reported as corrupt")
    func wrongVocabulary() throws {
        let directory = try modelCopy(omitting: "vocab.txt")
        defer { try? FileManager.default.removeItem(at: directory) }
        var lines = try String(contentsOf: ModelUnderTest.directory().appendingPathComponent("vocab.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        lines.swapAt(2000, 2001)
        try Data(lines.joined(separator: "\n").utf8).write(to: directory.appendingPathComponent("vocab.txt"))
        let error = try #require(throws: EmbedderError.self) {
            try MiniLMEmbedder(directory: directory, threads: 1)
        }
        #expect(error.description.contains("tokenizer.json") && error.description.contains("vocab.txt"))
    }

    @Test("a missing directory or unset LOCAL_MODEL_DIR is one clear error")
    func missingDirectory() throws {
        let error = try #require(throws: EmbedderError.self) {
            try MiniLMEmbedder(directory: URL(fileURLWithPath: "/nonexistent/minilm"), threads: 1)
        }
        #expect(error == .modelDirectoryMissing(path: "/nonexistent/minilm"))
        let unset = try #require(throws: EmbedderError.self) {
            try MiniLMEmbedder.fromEnvironment([:], threads: 1)
        }
        #expect(unset.description.contains("LOCAL_MODEL_DIR"))
        #expect(throws: EmbedderError.self) {
            try MiniLMEmbedder(directory: ModelUnderTest.directory(), threads: 0)
        }
    }
}

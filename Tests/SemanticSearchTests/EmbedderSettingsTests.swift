import Embeddings
import Foundation
import ServiceKit
import Testing

@testable import SemanticSearch

/// `EmbedderSettings`: parsing, its one-line start-up errors, and the embedders it builds.
@Suite("Embedder settings")
struct EmbedderSettingsTests {
    static func settings(_ values: [String: String]) throws(ConfigurationError) -> EmbedderSettings {
        try EmbedderSettings(environment: EnvironmentReader(values))
    }

    static func configurationError(_ values: [String: String]) -> ConfigurationError? {
        do {
            _ = try settings(values)
            return nil
        } catch {
            return error
        }
    }

    @Test func theLocalModelIsTheDefaultAndNeedsItsDirectory() throws {
        let error = Self.configurationError([:])
        #expect(error?.variable == "LOCAL_MODEL_DIR")
        let settings = try Self.settings(["LOCAL_MODEL_DIR": "/models/minilm"])
        #expect(settings.provider == .local)
        #expect(settings.threads == 2)
        #expect(settings.requestTimeout == .seconds(30))
        #expect(settings.geminiBaseURL == URL(string: "https://generativelanguage.googleapis.com")!)
        #expect(settings.geminiModel == "gemini-embedding-001")
        #expect(settings.openAIModel == "text-embedding-3-small")
        #expect(settings.dimension == nil)
    }

    @Test func aMissingGeminiKeyIsOneLine() {
        let error = Self.configurationError(["EMBEDDING_PROVIDER": "gemini"])
        #expect(error == ConfigurationError("GEMINI_API_KEY", "is required when EMBEDDING_PROVIDER=gemini"))
        #expect(error?.description == "configuration error: GEMINI_API_KEY is required when EMBEDDING_PROVIDER=gemini")
    }

    @Test func aMissingOpenAIBaseURLIsOneLine() {
        let error = Self.configurationError(["EMBEDDING_PROVIDER": "openai", "OPENAI_API_KEY": "sk-x"])
        #expect(error?.description == "configuration error: OPENAI_BASE_URL is required when EMBEDDING_PROVIDER=openai")
    }

    @Test func anUnknownProviderNamesTheChoices() {
        let error = Self.configurationError(["EMBEDDING_PROVIDER": "cohere"])
        #expect(error?.variable == "EMBEDDING_PROVIDER")
        #expect(error?.description == "configuration error: EMBEDDING_PROVIDER must be one of local, hash, gemini, openai (got \"cohere\")")
        #expect(error?.description.contains("\n") == false)
    }

    @Test func providersAreCaseInsensitive() throws {
        #expect(try Self.settings(["EMBEDDING_PROVIDER": "HASH"]).provider == .hash)
        #expect(try Self.settings(["EMBEDDING_PROVIDER": "Gemini", "GEMINI_API_KEY": "k"]).provider == .gemini)
    }

    @Test func malformedValuesNameTheirVariable() {
        let cases: [([String: String], String)] = [
            (["EMBEDDING_PROVIDER": "hash", "EMBEDDING_DIMENSION": "4"], "EMBEDDING_DIMENSION"),
            (["EMBEDDING_PROVIDER": "hash", "EMBEDDING_DIMENSION": "lots"], "EMBEDDING_DIMENSION"),
            (["EMBEDDING_PROVIDER": "hash", "EMBEDDING_TIMEOUT_MS": "10"], "EMBEDDING_TIMEOUT_MS"),
            (["EMBEDDING_PROVIDER": "gemini", "GEMINI_API_KEY": "k", "GEMINI_BASE_URL": "ftp://proxy"], "GEMINI_BASE_URL"),
            (["EMBEDDING_PROVIDER": "openai", "OPENAI_BASE_URL": "localhost:8080"], "OPENAI_BASE_URL"),
            (
                ["EMBEDDING_PROVIDER": "openai", "OPENAI_BASE_URL": "http://tei:8080", "OPENAI_EMBEDDING_MODEL": "bge-m3"],
                "EMBEDDING_DIMENSION"
            ),
        ]
        for (values, variable) in cases {
            let error = Self.configurationError(values)
            #expect(error?.variable == variable, "\(values)")
            #expect(error?.description.contains("\n") == false)
        }
    }

    @Test func buildsTheHashEmbedder() throws {
        let embedder = try Self.settings(["EMBEDDING_PROVIDER": "hash", "EMBEDDING_DIMENSION": "64"]).makeEmbedder()
        #expect(embedder.model == EmbeddingModelInfo(name: "hash-v1", dimension: 64))
    }

    @Test func buildsTheGeminiEmbedder() throws {
        let settings = try Self.settings([
            "EMBEDDING_PROVIDER": "gemini", "GEMINI_API_KEY": "k", "GEMINI_BASE_URL": "http://127.0.0.1:1/v1beta",
            "EMBEDDING_TIMEOUT_MS": "2500",
        ])
        #expect(settings.requestTimeout == .milliseconds(2500))
        let embedder = try #require(try settings.makeEmbedder() as? GeminiEmbedder)
        #expect(embedder.model == EmbeddingModelInfo(name: "gemini/gemini-embedding-001", dimension: 768))
        #expect(embedder.endpoint == "http://127.0.0.1:1/v1beta/models/gemini-embedding-001:batchEmbedContents")
        #expect(embedder.client.timeout == .milliseconds(2500))

        let sized = try Self.settings([
            "EMBEDDING_PROVIDER": "gemini", "GEMINI_API_KEY": "k", "EMBEDDING_DIMENSION": "1536",
            "GEMINI_EMBEDDING_MODEL": "text-embedding-004",
        ]).makeEmbedder()
        #expect(sized.model == EmbeddingModelInfo(name: "gemini/text-embedding-004", dimension: 1536))
    }

    @Test func buildsTheOpenAIEmbedder() throws {
        let embedder = try #require(
            try Self.settings([
                "EMBEDDING_PROVIDER": "openai", "OPENAI_BASE_URL": "http://tei:8080/v1",
                "OPENAI_EMBEDDING_MODEL": "bge-small-en-v1.5", "EMBEDDING_DIMENSION": "384",
            ]).makeEmbedder() as? OpenAIEmbedder)
        #expect(embedder.model == EmbeddingModelInfo(name: "openai/bge-small-en-v1.5", dimension: 384))
        #expect(embedder.endpoint == "http://tei:8080/v1/embeddings")
        #expect(embedder.requestedDimension == 384)

        let large = try Self.settings([
            "EMBEDDING_PROVIDER": "openai", "OPENAI_BASE_URL": "https://api.openai.com",
            "OPENAI_EMBEDDING_MODEL": "text-embedding-3-large", "OPENAI_API_KEY": "sk-x",
        ]).makeEmbedder()
        #expect(large.model == EmbeddingModelInfo(name: "openai/text-embedding-3-large", dimension: 3072))
    }

    /// The whole path a service takes: environment → settings → embedder → stub server.
    @Test func aGeminiEmbedderFromTheEnvironmentCallsItsBaseURL() async throws {
        let stub = EmbeddingStubServer(GeminiEmbedderTests.answering(dimension: 32))
        let vectors = try await stub.run { base in
            let embedder = try Self.settings([
                "EMBEDDING_PROVIDER": "gemini", "GEMINI_API_KEY": "from-env", "GEMINI_BASE_URL": base.absoluteString,
                "EMBEDDING_DIMENSION": "32",
            ]).makeEmbedder()
            return try await embedder.embed(["t1", "t2"])
        }
        #expect(stub.received.first?.headers["x-goog-api-key"] == "from-env")
        #expect(stub.received.first?.path == "/v1beta/models/gemini-embedding-001:batchEmbedContents")
        #expect(vectors.map(StubVectors.text(of:)) == ["t1", "t2"])
    }
}

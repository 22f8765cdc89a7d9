import Foundation
import ServiceKit
import Testing

@testable import SemanticSearch

/// `OpenAIEmbedder` against a stub `/v1/embeddings` server on 127.0.0.1.
@Suite("OpenAI-compatible embedder")
struct OpenAIEmbedderTests {
    static let key = "sk-test-openai-9c2e"
    static let quickRetry = RetrySchedule(maxAttempts: 4, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))

    /// Answers with one `StubVectors` vector per input; `reversed` lists them last input first.
    static func answering(dimension: Int, reversed: Bool = false) -> EmbeddingStubServer.Script {
        { _, request in
            let inputs = request.json["input"] as? [String] ?? []
            var data = inputs.enumerated().map { index, text -> [String: Any] in
                ["object": "embedding", "index": index, "embedding": StubVectors.raw(for: text, dimension: dimension)]
            }
            if reversed { data.reverse() }
            return .json([
                "object": "list", "data": data, "model": request.json["model"] ?? "", "usage": ["prompt_tokens": 1, "total_tokens": 1],
            ])
        }
    }

    static func embedder(
        _ base: URL, apiKey: String? = key, model: String = "text-embedding-3-small", dimension: Int? = 8,
        timeout: Duration = .seconds(5), retry: RetrySchedule = quickRetry
    ) throws -> OpenAIEmbedder {
        try OpenAIEmbedder(baseURL: base, apiKey: apiKey, model: model, dimension: dimension, timeout: timeout, retry: retry)
    }

    static func texts(_ count: Int) -> [String] { (0..<count).map { "t\($0)" } }

    @Test func sendsModelInputAndDimensionsWithABearerKey() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 8))
        let vectors = try await stub.run { base in try await Self.embedder(base).embed(["t0", "t1"]) }

        let request = try #require(stub.received.first)
        #expect(stub.received.count == 1)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/embeddings")
        #expect(request.headers["authorization"] == "Bearer \(Self.key)")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.json["model"] as? String == "text-embedding-3-small")
        #expect(request.json["input"] as? [String] == ["t0", "t1"])
        #expect(request.json["dimensions"] as? Int == 8)
        #expect(vectors.map(StubVectors.text(of:)) == ["t0", "t1"])
        #expect(vectors.allSatisfy { abs(StubVectors.norm($0) - 1) < 1e-6 })
    }

    @Test func leavesDimensionsOutAndUsesTheModelsSizeWhenUnconfigured() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 1536))
        let embedder = try await stub.run { base in
            let embedder = try Self.embedder(base.appendingPathComponent("v1"), dimension: nil)
            let vectors = try await embedder.embed(["t3"])
            #expect(vectors.first?.count == 1536)
            return embedder
        }
        #expect(embedder.model == .init(name: "openai/text-embedding-3-small", dimension: 1536))
        let request = try #require(stub.received.first)
        #expect(request.path == "/v1/embeddings")
        #expect(request.json["dimensions"] == nil)
    }

    @Test func knowsTheDimensionsOfOpenAIsModels() throws {
        let base = URL(string: "https://api.openai.com/v1/")!
        #expect(try Self.embedder(base, model: "text-embedding-3-large", dimension: nil).model.dimension == 3072)
        #expect(try Self.embedder(base, model: "text-embedding-3-small", dimension: nil).model.dimension == 1536)
        #expect(
            try Self.embedder(base, model: "nomic-embed-text", dimension: 768).model
                == .init(name: "openai/nomic-embed-text", dimension: 768))
        #expect(try Self.embedder(base, dimension: nil).endpoint == "https://api.openai.com/v1/embeddings")
        #expect(try Self.embedder(URL(string: "http://tei:8080/openai")!).endpoint == "http://tei:8080/openai/v1/embeddings")
    }

    @Test func anUnknownModelWithoutADimensionNamesEmbeddingDimension() {
        let error = #expect(throws: ConfigurationError.self) {
            try Self.embedder(URL(string: "http://127.0.0.1:9")!, model: "nomic-embed-text", dimension: nil)
        }
        #expect(error?.variable == "EMBEDDING_DIMENSION")
        #expect(error?.description.contains("nomic-embed-text") == true)
    }

    @Test func sendsNoAuthorizationWithoutAKey() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 8))
        _ = try await stub.run { base in try await Self.embedder(base, apiKey: nil).embed(["t0"]) }
        #expect(stub.received.first?.headers["authorization"] == nil)
    }

    @Test func putsOutOfOrderAnswersBackInInputOrder() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 8, reversed: true))
        let texts = Self.texts(5)
        let vectors = try await stub.run { base in try await Self.embedder(base).embed(texts) }
        #expect(vectors.map(StubVectors.text(of:)) == texts)
    }

    @Test func refusesIndicesThatDoNotNameEveryInput() async throws {
        let stub = EmbeddingStubServer { _, _ in
            .json([
                "data": [
                    ["index": 0, "embedding": StubVectors.raw(for: "t0", dimension: 8)],
                    ["index": 0, "embedding": StubVectors.raw(for: "t1", dimension: 8)],
                ]
            ])
        }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0", "t1"]) }
        }
        #expect(
            error
                == .malformedResponse(
                    provider: "openai/text-embedding-3-small", reason: "the indices do not name each of the 2 inputs exactly once"))
    }

    @Test func splitsIntoBatchesOfAtMost256() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 8))
        let texts = Self.texts(600)
        let vectors = try await stub.run { base in try await Self.embedder(base).embed(texts) }
        #expect(stub.received.map { ($0.json["input"] as? [String])?.count ?? 0 }.sorted() == [88, 256, 256])
        #expect(vectors.map(StubVectors.text(of:)) == texts)
    }

    @Test func retriesA429AndA502ThenSucceeds() async throws {
        let stub = EmbeddingStubServer { call, request in
            switch call {
            case 1:
                return .init(status: .tooManyRequests, headers: ["retry-after": "0"], body: #"{"error":{"message":"Rate limit reached"}}"#)
            case 2: return .init(status: .badGateway, body: "bad gateway")
            default: return await Self.answering(dimension: 8)(call, request)
            }
        }
        let vectors = try await stub.run { base in try await Self.embedder(base).embed(["t4"]) }
        #expect(stub.received.count == 3)
        #expect(vectors.map(StubVectors.text(of:)) == ["t4"])
    }

    @Test func givesUpAfterFourRateLimitedAttempts() async throws {
        let stub = EmbeddingStubServer { _, _ in .init(status: .tooManyRequests, body: #"{"error":{"message":"Rate limit reached"}}"#) }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0"]) }
        }
        #expect(stub.received.count == 4)
        #expect(error == .gaveUp(provider: "openai/text-embedding-3-small", attempts: 4, lastProblem: "HTTP 429: Rate limit reached"))
    }

    @Test func timesOut() async throws {
        let stub = EmbeddingStubServer { call, request in
            var answer = await Self.answering(dimension: 8)(call, request)
            answer.delay = .milliseconds(600)
            return answer
        }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in
                try await Self.embedder(base, timeout: .milliseconds(120), retry: .init(maxAttempts: 1)).embed(["t0"])
            }
        }
        #expect(
            error
                == .gaveUp(
                    provider: "openai/text-embedding-3-small", attempts: 1, lastProblem: "no answer within 120 ms (EMBEDDING_TIMEOUT_MS)"))
    }

    @Test func malformedAnswersAreClearErrors() async throws {
        let stub = EmbeddingStubServer { call, _ in
            call == 1 ? .init(body: #"{"data": "#) : .json(["data": [["index": 0, "embedding": "nope"]]])
        }
        try await stub.run { base in
            let embedder = try Self.embedder(base)
            let truncated = await #expect(throws: RemoteEmbedderError.self) { try await embedder.embed(["t0"]) }
            #expect(
                truncated
                    == .malformedResponse(provider: "openai/text-embedding-3-small", reason: "not an embeddings answer (invalid JSON)"))
            let mistyped = await #expect(throws: RemoteEmbedderError.self) { try await embedder.embed(["t0"]) }
            #expect(
                mistyped
                    == .malformedResponse(
                        provider: "openai/text-embedding-3-small", reason: "not an embeddings answer (unexpected type at data.0.embedding)")
            )
        }
        #expect(stub.received.count == 2)
    }

    @Test func aVectorOfTheWrongDimensionIsRefused() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 16))
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0"]) }
        }
        #expect(error == .wrongDimension(provider: "openai/text-embedding-3-small", expected: 8, received: 16))
        #expect(error?.description.contains("EMBEDDING_DIMENSION") == true)
    }

    @Test func anUnauthorisedAnswerNeverShowsTheKey() async throws {
        let stub = EmbeddingStubServer { _, request in
            let sent = (request.headers["authorization"] ?? "").replacingOccurrences(of: "Bearer ", with: "")
            return .init(
                status: .unauthorized,
                body: #"{"error":{"message":"Incorrect API key provided: \#(sent).","type":"invalid_request_error"}}"#)
        }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0"]) }
        }
        #expect(stub.received.count == 1)
        #expect(
            error == .rejected(provider: "openai/text-embedding-3-small", status: 401, message: "Incorrect API key provided: [redacted]."))
        #expect(error?.description.contains(Self.key) == false)
    }
}

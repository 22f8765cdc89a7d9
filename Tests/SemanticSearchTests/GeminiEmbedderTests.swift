import Foundation
import Testing

@testable import SemanticSearch

/// `GeminiEmbedder` against a stub `batchEmbedContents` server on 127.0.0.1.
@Suite("Gemini embedder")
struct GeminiEmbedderTests {
    static let key = "gemini-test-key-5f1c"
    /// Retries without noticeable waits, so only `Retry-After` explains a pause.
    static let quickRetry = RetrySchedule(maxAttempts: 4, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))

    /// Answers every batch with `StubVectors` of `dimension` entries (or as `shape` says).
    static func answering(dimension: Int) -> EmbeddingStubServer.Script {
        { _, request in
            let items = request.json["requests"] as? [[String: Any]] ?? []
            let embeddings = items.map { item -> [String: Any] in
                let parts = (item["content"] as? [String: Any])?["parts"] as? [[String: Any]]
                return ["values": StubVectors.raw(for: parts?.first?["text"] as? String ?? "", dimension: dimension)]
            }
            return .json(["embeddings": embeddings])
        }
    }

    static func embedder(
        _ base: URL, dimension: Int? = 8, model: String = "gemini-embedding-001", timeout: Duration = .seconds(5),
        retry: RetrySchedule = quickRetry
    ) throws -> GeminiEmbedder {
        try GeminiEmbedder(apiKey: key, model: model, dimension: dimension, baseURL: base, timeout: timeout, retry: retry)
    }

    static func texts(_ count: Int) -> [String] { (0..<count).map { "t\($0)" } }

    @Test func sendsTheDocumentedRequestWithTheKeyInAHeader() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 8))
        let vectors = try await stub.run { base in try await Self.embedder(base).embed(["t0", "t1", "t2"]) }

        #expect(stub.received.count == 1)
        let request = try #require(stub.received.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1beta/models/gemini-embedding-001:batchEmbedContents")
        #expect(request.query.isEmpty, "the key must not travel in the URL")
        #expect(request.headers["x-goog-api-key"] == Self.key)
        #expect(request.headers["content-type"] == "application/json")
        let items = try #require(request.json["requests"] as? [[String: Any]])
        #expect(items.count == 3)
        for (index, item) in items.enumerated() {
            #expect(item["model"] as? String == "models/gemini-embedding-001")
            #expect(item["taskType"] as? String == "RETRIEVAL_DOCUMENT")
            #expect(item["outputDimensionality"] as? Int == 8)
            let parts = (item["content"] as? [String: Any])?["parts"] as? [[String: Any]]
            #expect(parts?.count == 1)
            #expect(parts?.first?["text"] as? String == "t\(index)")
        }
        #expect(vectors.map(StubVectors.text(of:)) == ["t0", "t1", "t2"])
        #expect(vectors.allSatisfy { $0.count == 8 })
    }

    @Test func modelInfoNamesTheProviderAndKnowsTheDimensionUpFront() throws {
        let base = URL(string: "http://127.0.0.1:9")!
        let byDefault = try GeminiEmbedder(apiKey: Self.key, baseURL: base)
        #expect(byDefault.model.name == "gemini/gemini-embedding-001")
        #expect(byDefault.model.dimension == 768)
        let configured = try GeminiEmbedder(apiKey: Self.key, dimension: 1536, baseURL: base)
        #expect(configured.model.dimension == 1536)
        let older = try GeminiEmbedder(apiKey: Self.key, model: "models/text-embedding-004", baseURL: base)
        #expect(older.model == .init(name: "gemini/text-embedding-004", dimension: 768))
        #expect(older.endpoint == "http://127.0.0.1:9/v1beta/models/text-embedding-004:batchEmbedContents")
    }

    @Test func acceptsABaseURLWithTheVersionAlreadyOnIt() throws {
        for base in ["http://stub:1/v1beta", "http://stub:1/v1beta/", "http://stub:1/", "http://stub:1"] {
            let embedder = try GeminiEmbedder(apiKey: Self.key, baseURL: URL(string: base)!)
            #expect(embedder.endpoint == "http://stub:1/v1beta/models/gemini-embedding-001:batchEmbedContents", "\(base)")
        }
        #expect(throws: RemoteEmbedderError.self) {
            try GeminiEmbedder(apiKey: Self.key, baseURL: URL(string: "ftp://stub")!)
        }
    }

    @Test func aMissingKeyIsAClearError() {
        #expect(throws: RemoteEmbedderError.missingAPIKey(provider: "gemini/gemini-embedding-001", variable: "GEMINI_API_KEY")) {
            try GeminiEmbedder(apiKey: nil)
        }
        #expect(throws: RemoteEmbedderError.self) { try GeminiEmbedder(apiKey: "") }
        let error = RemoteEmbedderError.missingAPIKey(provider: "gemini/gemini-embedding-001", variable: "GEMINI_API_KEY")
        #expect(
            error.description
                == "gemini/gemini-embedding-001 embeddings: GEMINI_API_KEY is not set (it is required when EMBEDDING_PROVIDER=gemini)")
    }

    @Test func splits250TextsIntoThreeCallsAndKeepsTheOrder() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 8))
        let texts = Self.texts(250)
        let vectors = try await stub.run { base in try await Self.embedder(base).embed(texts) }

        #expect(stub.received.count == 3)
        let sizes = stub.received.map { ($0.json["requests"] as? [Any])?.count ?? 0 }
        #expect(sizes.sorted() == [50, 100, 100])
        #expect(vectors.count == 250)
        #expect(vectors.map(StubVectors.text(of:)) == texts)
    }

    @Test func noTextsMeansNoCall() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 8))
        let vectors = try await stub.run { base in try await Self.embedder(base).embed([]) }
        #expect(vectors.isEmpty)
        #expect(stub.received.isEmpty)
    }

    @Test func normalisesTruncatedVectors() async throws {
        let stub = EmbeddingStubServer { _, _ in .json(["embeddings": [["values": [3, 4, 0, 0]]]]) }
        let vectors = try await stub.run { base in try await Self.embedder(base, dimension: 4).embed(["a"]) }
        let vector = try #require(vectors.first)
        #expect(abs(vector[0] - 0.6) < 1e-6)
        #expect(abs(vector[1] - 0.8) < 1e-6)
        #expect(abs(StubVectors.norm(vector) - 1) < 1e-6)
    }

    @Test func waitsForRetryAfterAfterA429() async throws {
        let stub = EmbeddingStubServer { call, request in
            if call == 1 {
                return .init(
                    status: .tooManyRequests, headers: ["Retry-After": "1"],
                    body: #"{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}"#)
            }
            return await Self.answering(dimension: 8)(call, request)
        }
        // Timed inside `run`: the stub's own start and stop are not the embedder's doing.
        let (vectors, elapsed) = try await stub.run { base in
            let started = ContinuousClock.now
            let vectors = try await Self.embedder(base).embed(["t7"])
            return (vectors, ContinuousClock.now - started)
        }

        #expect(stub.received.count == 2)
        #expect(vectors.map(StubVectors.text(of:)) == ["t7"])
        #expect(elapsed >= .milliseconds(950), "Retry-After: 1 was not honoured (\(elapsed))")
        // Generous for a loaded 2-core machine; still far below any backoff the schedule allows.
        #expect(elapsed < .seconds(8))
    }

    @Test func retriesAfterA503() async throws {
        let stub = EmbeddingStubServer { call, request in
            call == 1
                ? .init(status: .serviceUnavailable, body: #"{"error":{"message":"overloaded"}}"#)
                : await Self.answering(dimension: 8)(call, request)
        }
        let vectors = try await stub.run { base in try await Self.embedder(base).embed(["t1", "t2"]) }
        #expect(stub.received.count == 2)
        #expect(vectors.map(StubVectors.text(of:)) == ["t1", "t2"])
    }

    @Test func givesUpAfterFourAttemptsWithAClearError() async throws {
        let stub = EmbeddingStubServer { _, _ in
            .init(status: .internalServerError, body: #"{"error":{"code":500,"message":"Internal error encountered."}}"#)
        }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0"]) }
        }
        #expect(stub.received.count == 4)
        #expect(
            error == .gaveUp(provider: "gemini/gemini-embedding-001", attempts: 4, lastProblem: "HTTP 500: Internal error encountered."))
        #expect(
            error?.description
                == "gemini/gemini-embedding-001 embeddings: gave up after 4 attempts; last problem: HTTP 500: Internal error encountered.")
    }

    @Test func aRetryAfterLongerThanTheScheduleAcceptsFailsAtOnce() async throws {
        let stub = EmbeddingStubServer { _, _ in
            .init(status: .tooManyRequests, headers: ["Retry-After": "3600"], body: #"{"error":{"message":"quota"}}"#)
        }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in
                let started = ContinuousClock.now
                defer { #expect(ContinuousClock.now - started < .seconds(10), "waited for a Retry-After of an hour") }
                return try await Self.embedder(base).embed(["t0"])
            }
        }
        #expect(stub.received.count == 1)
        #expect(error?.description.contains("asked to wait longer") == true)
    }

    @Test func timesOutEachAttempt() async throws {
        let stub = EmbeddingStubServer { call, request in
            var answer = await Self.answering(dimension: 8)(call, request)
            answer.delay = .seconds(3)
            return answer
        }
        let retry = RetrySchedule(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in
                // Timed inside `run`: the stub lingers until its slow handlers finish.
                let started = ContinuousClock.now
                defer { #expect(ContinuousClock.now - started < .milliseconds(2500), "an attempt outlived its deadline") }
                return try await Self.embedder(base, timeout: .milliseconds(150), retry: retry).embed(["t0"])
            }
        }
        #expect(
            error
                == .gaveUp(
                    provider: "gemini/gemini-embedding-001", attempts: 2,
                    lastProblem: "no answer within 150 ms (EMBEDDING_TIMEOUT_MS)"))
        // On a loaded machine the second attempt's deadline may pass before its request reaches
        // the stub; the error above already says two attempts were made.
        #expect((1...2).contains(stub.received.count))
    }

    @Test func connectionErrorsAreRetriedThenReported() async throws {
        // Nothing listens on the discard port of loopback: every attempt is refused.
        // A refused connection fails each attempt at once instead of re-dialling until the deadline.
        let embedder = try Self.embedder(URL(string: "http://127.0.0.1:9")!, timeout: .seconds(3))
        let started = ContinuousClock.now
        let error = await #expect(throws: RemoteEmbedderError.self) { try await embedder.embed(["t0"]) }
        #expect(ContinuousClock.now - started < .seconds(6), "each refused attempt should fail at once, not wait out its 3 s deadline")
        guard case .gaveUp(_, let attempts, let problem) = error else {
            Issue.record("expected gaveUp, got \(String(describing: error))")
            return
        }
        #expect(attempts == 4)
        #expect(problem.hasPrefix("connection error"), "\(problem)")
    }

    @Test func redirectsAreNotFollowedSoTheKeyStaysWithTheConfiguredHost() async throws {
        let stub = EmbeddingStubServer { _, _ in
            .init(status: .temporaryRedirect, headers: ["Location": "http://127.0.0.1:9/steal"], body: "")
        }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0"]) }
        }
        #expect(stub.received.count == 1)
        #expect(error == .rejected(provider: "gemini/gemini-embedding-001", status: 307, message: ""))
    }

    @Test func malformedJSONIsNotRetried() async throws {
        let stub = EmbeddingStubServer { _, _ in .init(body: "<html>gateway</html>") }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0"]) }
        }
        #expect(stub.received.count == 1)
        #expect(
            error == .malformedResponse(provider: "gemini/gemini-embedding-001", reason: "not a batchEmbedContents answer (invalid JSON)"))
    }

    @Test func anAnswerWithoutEmbeddingsIsMalformed() async throws {
        let stub = EmbeddingStubServer { _, _ in .json(["embedding": ["values": [1, 2]]]) }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0"]) }
        }
        #expect(
            error?.description
                == "gemini/gemini-embedding-001 embeddings: malformed response: not a batchEmbedContents answer (missing \"embeddings\" at the top level)"
        )
    }

    @Test func tooFewEmbeddingsIsMalformed() async throws {
        let stub = EmbeddingStubServer { _, _ in .json(["embeddings": [["values": StubVectors.raw(for: "t0", dimension: 8)]]]) }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0", "t1"]) }
        }
        #expect(error == .malformedResponse(provider: "gemini/gemini-embedding-001", reason: "1 embeddings for 2 texts"))
    }

    @Test func aVectorOfTheWrongDimensionIsRefused() async throws {
        let stub = EmbeddingStubServer(Self.answering(dimension: 5))
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base, dimension: 8).embed(["t0"]) }
        }
        #expect(error == .wrongDimension(provider: "gemini/gemini-embedding-001", expected: 8, received: 5))
    }

    @Test func aZeroVectorIsRefused() async throws {
        let stub = EmbeddingStubServer { _, _ in .json(["embeddings": [["values": [0, 0, 0, 0]]]]) }
        await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base, dimension: 4).embed(["t0"]) }
        }
    }

    @Test func aRefusalIsReportedAtOnceWithoutTheKey() async throws {
        let stub = EmbeddingStubServer { _, request in
            let sent = request.headers["x-goog-api-key"] ?? ""
            return .init(
                status: .badRequest,
                body:
                    #"{"error":{"code":400,"message":"API key \#(sent) not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#
            )
        }
        let error = await #expect(throws: RemoteEmbedderError.self) {
            try await stub.run { base in try await Self.embedder(base).embed(["t0"]) }
        }
        #expect(stub.received.count == 1)
        let description = error?.description ?? ""
        #expect(
            description
                == "gemini/gemini-embedding-001 embeddings: the server refused the request with HTTP 400: API key [redacted] not valid. Please pass a valid API key."
        )
        #expect(!description.contains(Self.key))
    }
}

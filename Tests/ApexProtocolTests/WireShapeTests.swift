import Foundation
import Testing

@testable import ApexProtocol

/// Round trips of representative contract types: snake_case keys, explicit nulls, dates with
/// milliseconds.
@Suite struct WireShapeTests {
    static let memory = Memory(
        id: "0193a1b2-0000-7000-8000-000000000001", text: "I prefer dark roast coffee", category: "food",
        source: "scan", confidence: 0.75, createdAt: exampleDate, updatedAt: laterDate, metadata: ["k": "v"]
    )
    static let hit = SearchHit(
        chunkID: "c1", documentID: "d1", filename: "notes.md", chunkIndex: 0, content: "hello",
        score: 0.032, vectorRank: 1, keywordRank: nil
    )

    @Test func pageWritesNextCursorNullOnTheLastPage() throws {
        let page = Page(items: [Chunk(id: "c", chunkIndex: 3, content: "text")])
        #expect(try Wire.json(page) == ["items": [["id": "c", "chunk_index": 3, "content": "text"]], "next_cursor": nil])
        #expect(try Wire.roundTrip(page) == page)
        let next = Page(items: [Chunk](), nextCursor: "abc")
        #expect(try Wire.json(next) == ["items": [], "next_cursor": "abc"])
    }

    @Test func searchHitWritesMissingRanksAsNull() throws {
        #expect(
            try Wire.json(Self.hit) == [
                "chunk_id": "c1", "document_id": "d1", "filename": "notes.md", "chunk_index": 0, "content": "hello",
                "score": 0.032, "vector_rank": 1, "keyword_rank": nil,
            ])
        #expect(try Wire.roundTrip(Self.hit) == Self.hit)
    }

    @Test func documentRoundTrips() throws {
        let document = Document(
            id: "d1", filename: "page.html", docType: .html, fileHash: String(repeating: "ab", count: 32),
            totalChunks: 4, indexedAt: exampleDate, metadata: ["lang": "en"], deduplicated: true
        )
        #expect(
            try Wire.json(document) == [
                "id": "d1", "filename": "page.html", "doc_type": "html", "file_hash": .string(String(repeating: "ab", count: 32)),
                "total_chunks": 4, "indexed_at": "2026-11-21T10:00:00.123Z", "metadata": ["lang": "en"], "deduplicated": true,
            ])
        #expect(try Wire.roundTrip(document) == document)
    }

    @Test func memoryHitIsFlat() throws {
        let hit = MemoryHit(memory: Self.memory, score: 0.91)
        let json = try Wire.json(hit)
        #expect(
            json == [
                "id": "0193a1b2-0000-7000-8000-000000000001", "text": "I prefer dark roast coffee", "category": "food",
                "source": "scan", "confidence": 0.75, "created_at": "2026-11-21T10:00:00.123Z",
                "updated_at": "2026-11-21T10:00:01.123Z", "metadata": ["k": "v"], "deduplicated": false, "score": 0.91,
            ])
        #expect(try Wire.roundTrip(hit) == hit)
        #expect(hit.text == "I prefer dark roast coffee")
    }

    @Test func contextResponseCarriesPartialResults() throws {
        let response = ContextResponse(
            query: "coffee", memories: [MemoryHit(memory: Self.memory, score: 0.9)], documents: [],
            errors: [ContextSourceError(source: .rag, code: .upstreamTimeout)]
        )
        #expect(response.partial)
        let json = try Wire.json(response)
        #expect(json["partial"] == true)
        #expect(json["errors"] == [["source": "rag", "code": "upstream_timeout"]])
        #expect(try Wire.roundTrip(response) == response)
        let complete = ContextResponse(query: "q", memories: [], documents: [Self.hit])
        #expect(try Wire.json(complete)["partial"] == false)
        #expect(try Wire.json(complete)["errors"] == [])
    }

    @Test func contextRequestDefaults() throws {
        let request = try Wire.decode(ContextRequest.self, #"{"query": "coffee"}"#)
        #expect(request.resolvedMemoryLimit == 5)
        #expect(request.resolvedDocumentLimit == 5)
        let explicit = try Wire.decode(ContextRequest.self, #"{"query": "coffee", "memory_limit": 0, "document_limit": 20}"#)
        #expect(explicit.memoryLimit == 0)
        #expect(explicit.documentLimit == 20)
        #expect(try Wire.json(explicit) == ["query": "coffee", "memory_limit": 0, "document_limit": 20])
    }

    @Test func meResponseWritesEmailNull() throws {
        let me = MeResponse(userID: "default", email: nil, auth: .disabled)
        #expect(try Wire.json(me) == ["user_id": "default", "email": nil, "auth": "disabled"])
        #expect(try Wire.roundTrip(me) == me)
    }

    @Test func healthStatusOmitsErrorWhenHealthy() throws {
        #expect(try Wire.text(HealthStatus.alive) == #"{"status":"alive"}"#)
        #expect(try Wire.text(HealthStatus.ready) == #"{"status":"ready"}"#)
        #expect(try Wire.json(HealthStatus.notReady("timeout")) == ["status": "not_ready", "error": "timeout"])
        #expect(try Wire.roundTrip(HealthStatus.notReady("timeout")) == .notReady("timeout"))
    }

    @Test func sessionWritesEveryOptionalFieldAsNull() throws {
        let session = Session(id: "run-1", query: "plan my week", createdAt: exampleDate)
        #expect(
            try Wire.json(session) == [
                "id": "run-1", "query": "plan my week", "status": "running", "agent_type": nil, "graph_data": [:],
                "node_outputs": [:], "cost": nil, "model_used": nil, "error": nil,
                "created_at": "2026-11-21T10:00:00.123Z", "completed_at": nil, "metadata": [:],
            ])
        #expect(try Wire.roundTrip(session) == session)
        var finished = session
        finished.status = .completed
        finished.cost = 0.0042
        finished.completedAt = laterDate
        finished.nodeOutputs = ["planner": ["text": "I prefer mornings"]]
        #expect(try Wire.roundTrip(finished) == finished)
    }

    @Test func chatAndMessageRoundTrip() throws {
        let chat = Chat(id: "c1", targetType: "agent", targetID: "planner", createdAt: exampleDate, updatedAt: laterDate)
        #expect(try Wire.json(chat)["model"] == .null)
        #expect(try Wire.json(chat)["title"] == "New Chat")
        #expect(try Wire.keys(chat) == ["id", "target_type", "target_id", "title", "model", "created_at", "updated_at"])
        #expect(try Wire.roundTrip(chat) == chat)
        let message = Message(id: "m1", chatID: "c1", role: .assistant, content: "", createdAt: exampleDate)
        #expect(try Wire.keys(message) == ["id", "chat_id", "role", "content", "created_at", "metadata"])
        #expect(try Wire.roundTrip(message) == message)
    }

    @Test func preferencesWriteUpdatedAtNull() throws {
        var preferences = PreferencesResponse()
        #expect(try Wire.json(preferences) == ["preferences": [:], "operating_ctx": [:], "soft_identity": [:], "updated_at": nil])
        preferences[.softIdentity] = ["tone": "warm"]
        preferences.updatedAt = exampleDate
        #expect(try Wire.roundTrip(preferences) == preferences)
        #expect(PreferenceHub(rawValue: "operating_ctx") == .operatingCtx)
        #expect(PreferenceHub(rawValue: "other") == nil)
    }

    @Test func stateEntryKeepsNullValues() throws {
        let entry = StateEntry(key: "agent:last_run", value: .null, updatedAt: exampleDate)
        #expect(try Wire.json(entry) == ["key": "agent:last_run", "value": nil, "updated_at": "2026-11-21T10:00:00.123Z"])
        #expect(try Wire.roundTrip(entry) == entry)
        #expect(
            Wire.decodingFieldError(StateEntry.self, #"{"key":"k","updated_at":"2026-11-21T10:00:00Z"}"#)
                == FieldError(field: "value", message: "is required"))
    }

    @Test func putStateTellsNullFromMissing() throws {
        #expect(try Wire.decode(PutStateRequest.self, #"{"value": null}"#).value == .null)
        #expect(try Wire.decode(PutStateRequest.self, #"{"value": {"a": [1, null]}}"#).value == ["a": [1, nil]])
        #expect(try Wire.decode(PutStateRequest.self, #"{"value": false}"#).value == false)
        #expect(Wire.decodingFieldError(PutStateRequest.self, "{}") == FieldError(field: "value", message: "is required"))
        #expect(try Wire.text(PutStateRequest(value: .null)) == #"{"value":null}"#)
    }

    @Test func jobWritesNullsForNeverRunAndDisabled() throws {
        let job = Job(
            id: "j1", name: "digest", cronExpression: "0 8 * * 1-5", timezone: "Europe/Paris",
            action: .notify(title: "Good morning", body: "Your digest"), enabled: false, createdAt: exampleDate
        )
        #expect(
            try Wire.json(job) == [
                "id": "j1", "name": "digest", "cron_expression": "0 8 * * 1-5", "timezone": "Europe/Paris",
                "action": ["type": "notify", "title": "Good morning", "body": "Your digest"], "enabled": false,
                "last_run": nil, "next_run": nil, "last_output": nil, "created_at": "2026-11-21T10:00:00.123Z", "metadata": [:],
            ])
        #expect(try Wire.roundTrip(job) == job)
        var ran = job
        ran.lastRun = exampleDate
        ran.nextRun = laterDate
        ran.lastOutput = ["missed": 2]
        #expect(try Wire.roundTrip(ran) == ran)
    }

    @Test func jobRunAndTaskRoundTrip() throws {
        let skipped = JobRun(id: "r1", jobID: "j1", scheduledFor: exampleDate, startedAt: nil, status: .skipped)
        #expect(
            try Wire.json(skipped) == [
                "id": "r1", "job_id": "j1", "scheduled_for": "2026-11-21T10:00:00.123Z", "started_at": nil,
                "completed_at": nil, "status": "skipped", "output": nil, "error": nil,
            ])
        #expect(try Wire.roundTrip(skipped) == skipped)

        let task = BackgroundTask(
            id: "t1", action: .memoryScan, status: .failed, attempts: 2, runAt: laterDate,
            lastError: "timeout", createdAt: exampleDate, updatedAt: laterDate
        )
        #expect(
            try Wire.keys(task) == [
                "id", "action", "status", "attempts", "max_attempts", "run_at", "last_error", "result", "created_at", "updated_at",
            ])
        #expect(try Wire.json(task)["result"] == .null)
        #expect(try Wire.json(task)["max_attempts"] == 5)
        #expect(try Wire.roundTrip(task) == task)
    }

    @Test func inboxAndCounters() throws {
        let notification = InboxNotification(id: "n1", title: "Hello", body: "World", createdAt: exampleDate)
        #expect(
            try Wire.json(notification) == [
                "id": "n1", "source": "api", "title": "Hello", "body": "World", "priority": 1, "is_read": false,
                "created_at": "2026-11-21T10:00:00.123Z", "metadata": [:],
            ])
        #expect(try Wire.roundTrip(notification) == notification)
        #expect(try Wire.text(UnreadCountResponse(unread: 3)) == #"{"unread":3}"#)
        #expect(try Wire.text(ReadAllResponse(updated: 7)) == #"{"updated":7}"#)
        #expect(try Wire.json(TickResponse(claimed: 2, skipped: 1)) == ["claimed": 2, "skipped": 1])
        #expect(try Wire.json(MemoryScanResponse(sessionsScanned: 4, memoriesAdded: 3)) == ["sessions_scanned": 4, "memories_added": 3])
        let retention = RetentionResponse(deleted: ["security_logs": 12, "job_runs": 0])
        #expect(try Wire.json(retention) == ["deleted": ["security_logs": 12, "job_runs": 0]])
        #expect(try Wire.roundTrip(retention) == retention)
    }

    @Test func requestsOmitWhatTheClientLeftOut() throws {
        #expect(try Wire.text(SearchRequest(query: "q")) == #"{"query":"q"}"#)
        let search = SearchRequest(query: "q", limit: 3, mode: .keyword, documentIDs: ["a", "b"])
        #expect(try Wire.json(search) == ["query": "q", "limit": 3, "mode": "keyword", "document_ids": ["a", "b"]])
        #expect(try Wire.roundTrip(search) == search)
        #expect(SearchRequest(query: "q").resolvedLimit == 10)
        #expect(SearchRequest(query: "q").resolvedMode == .hybrid)

        let memory = try Wire.decode(CreateMemoryRequest.self, #"{"text": "t"}"#)
        #expect(memory.resolvedCategory == "general")
        #expect(memory.resolvedSource == "api")
        #expect(memory.resolvedConfidence == 1.0)

        let chat = try Wire.decode(CreateChatRequest.self, #"{"target_type": "agent", "target_id": "planner"}"#)
        #expect(chat.resolvedTitle == "New Chat")
        #expect(chat.model == nil)

        let job = try Wire.decode(
            CreateJobRequest.self, #"{"name": "n", "cron_expression": "* * * * *", "action": {"type": "memory_scan"}}"#)
        #expect(job.resolvedTimezone == "UTC")
        #expect(job.resolvedEnabled)

        let task = try Wire.decode(CreateTaskRequest.self, #"{"action": {"type": "memory_scan"}, "idempotency_key": "k"}"#)
        #expect(task.resolvedMaxAttempts == 5)
        #expect(try Wire.json(task) == ["action": ["type": "memory_scan"], "idempotency_key": "k"])

        let notification = try Wire.decode(CreateNotificationRequest.self, #"{"title": "t", "body": "b"}"#)
        #expect(notification.resolvedPriority == 1)
        #expect(notification.resolvedSource == "api")

        let session = CreateSessionRequest(id: "s1", query: "q", agentType: "PlannerAgent", graphData: ["nodes": []])
        #expect(try Wire.json(session) == ["id": "s1", "query": "q", "agent_type": "PlannerAgent", "graph_data": ["nodes": []]])
        #expect(try Wire.roundTrip(session) == session)
    }

    @Test(arguments: [
        ("notes.md", DocumentType.markdown), ("README.MD", .markdown), (".md", .markdown),
        ("page.html", .html), ("PAGE.HTM", .html), ("page.htm", .html),
        ("notes.txt", .text), ("notes", .text), ("notes.md.txt", .text), ("notes.markdown", .text),
        ("dir.md/notes", .text), ("", .text),
    ])
    func documentTypeDefaultsFromFilename(filename: String, expected: DocumentType) {
        #expect(DocumentType(filename: filename) == expected)
        #expect(CreateDocumentRequest(filename: filename, content: "x").resolvedDocType == expected)
        #expect(CreateDocumentRequest(filename: filename, content: "x", docType: .html).resolvedDocType == .html)
    }

    @Test func sharedNamesAreSpelledAsTheContractSays() {
        #expect(ServiceName.allCases.map(\.rawValue) == ["gateway", "rag", "memory", "scheduler"])
        #expect(HeaderName.requestID == "X-Request-ID")
        #expect(HeaderName.apexIdentity == "X-Apex-Identity")
        #expect(HeaderName.traceparent == "traceparent")
        #expect(HeaderName.tracestate == "tracestate")
        #expect(HeaderName.retryAfter == "Retry-After")
        #expect(HeaderName.rateLimitLimit == "RateLimit-Limit")
        #expect(HeaderName.rateLimitRemaining == "RateLimit-Remaining")
        #expect(HeaderName.rateLimitReset == "RateLimit-Reset")
        #expect(MediaType.problemJSON == "application/problem+json")
        #expect(ProblemDetails.mediaType == "application/problem+json")
        #expect(ApexJSON.mediaType == "application/json")
    }
}

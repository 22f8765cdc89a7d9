import Foundation
import Testing

@testable import ApexProtocol

/// API.md's rules, each tested on both sides of each boundary.
@Suite struct ValidationTests {
    private func fields(_ value: some ContractValidatable) -> [String] {
        value.validate().map(\.field)
    }

    // MARK: Documents and search

    @Test(arguments: [(0, false), (1, true), (255, true), (256, false)])
    func documentFilenameLength(length: Int, valid: Bool) {
        let request = CreateDocumentRequest(filename: repeated("f", length), content: "x")
        #expect(request.isValid == valid)
        if !valid { #expect(fields(request) == ["filename"]) }
    }

    @Test func lengthsCountCharactersNotBytes() {
        #expect(CreateDocumentRequest(filename: repeated("é", 255), content: "x").isValid)
        #expect(!CreateDocumentRequest(filename: repeated("é", 256), content: "x").isValid)
    }

    @Test func documentContentMustNotBeEmpty() {
        #expect(
            CreateDocumentRequest(filename: "a.txt", content: "").validate() == [FieldError(field: "content", message: "must not be empty")]
        )
        #expect(CreateDocumentRequest(filename: "a.txt", content: " ").isValid)
    }

    @Test(arguments: [(0, false), (1, true), (2000, true), (2001, false)])
    func searchQueryLength(length: Int, valid: Bool) {
        #expect(SearchRequest(query: repeated("q", length)).isValid == valid)
        #expect(MemorySearchRequest(query: repeated("q", length)).isValid == valid)
        #expect(ContextRequest(query: repeated("q", length)).isValid == valid)
    }

    @Test(arguments: [(0, false), (1, true), (50, true), (51, false), (-1, false)])
    func searchLimit(limit: Int, valid: Bool) {
        #expect(SearchRequest(query: "q", limit: limit).isValid == valid)
        #expect(MemorySearchRequest(query: "q", limit: limit).isValid == valid)
        if !valid {
            #expect(SearchRequest(query: "q", limit: limit).validate() == [FieldError(field: "limit", message: "must be between 1 and 50")])
        }
    }

    @Test(arguments: [(-1, false), (0, true), (20, true), (21, false)])
    func contextLimits(limit: Int, valid: Bool) {
        #expect(ContextRequest(query: "q", memoryLimit: limit).isValid == valid)
        #expect(ContextRequest(query: "q", documentLimit: limit).isValid == valid)
        #expect(
            fields(ContextRequest(query: "q", memoryLimit: limit, documentLimit: limit))
                == (valid ? [] : ["memory_limit", "document_limit"]))
    }

    // MARK: Memories

    @Test(arguments: [(0, false), (1, true), (10_000, true), (10_001, false)])
    func memoryTextLength(length: Int, valid: Bool) {
        #expect(CreateMemoryRequest(text: repeated("t", length)).isValid == valid)
        #expect(UpdateMemoryRequest(text: repeated("t", length)).isValid == valid)
    }

    @Test(arguments: [
        ("general", true), ("a", true), ("x_y-1", true), (repeated("c", 64), true), (repeated("c", 65), false),
        ("", false), ("Work", false), ("a b", false), ("a.b", false), ("café", false), ("a:b", false),
    ])
    func memoryCategoryPattern(category: String, valid: Bool) {
        #expect(CreateMemoryRequest(text: "t", category: category).isValid == valid)
        #expect(UpdateMemoryRequest(category: category).isValid == valid)
        #expect(MemorySearchRequest(query: "q", category: category).isValid == valid)
        if !valid {
            #expect(
                CreateMemoryRequest(text: "t", category: category).validate() == [
                    FieldError(field: "category", message: "must match [a-z0-9_-]{1,64}")
                ])
        }
    }

    @Test(arguments: [(-0.0001, false), (0.0, true), (0.5, true), (1.0, true), (1.0001, false)])
    func memoryConfidence(confidence: Double, valid: Bool) {
        #expect(CreateMemoryRequest(text: "t", confidence: confidence).isValid == valid)
        #expect(UpdateMemoryRequest(confidence: confidence).isValid == valid)
    }

    @Test func emptyPatchIsValid() {
        #expect(UpdateMemoryRequest().isValid)
        #expect(UpdateSessionRequest().isValid)
        #expect(UpdateChatRequest().isValid)
        #expect(UpdateJobRequest().isValid)
    }

    // MARK: Client-chosen ids and state keys

    static let identifierCases: [(String, Bool)] = [
        ("a", true), ("run-2026.11.21:abc_DEF", true), (repeated("i", 128), true), (repeated("i", 129), false),
        ("", false), ("a/b", false), ("a b", false), ("é", false), ("a?b", false), ("a%2Fb", false), ("a#b", false),
    ]

    @Test(arguments: identifierCases)
    func clientChosenIDs(id: String, valid: Bool) {
        #expect(CreateSessionRequest(id: id, query: "q").isValid == valid)
        #expect(CreateChatRequest(id: id, targetType: "agent", targetID: "x").isValid == valid)
        #expect(StateEntry.validateKey(id).isEmpty == valid)
        #expect(TokenPattern.requestID.matches(id) == valid)
    }

    @Test func idsAreOptional() {
        #expect(CreateSessionRequest(query: "q").isValid)
        #expect(CreateChatRequest(targetType: "agent", targetID: "x").isValid)
        #expect(StateEntry.validateKey("a b") == [FieldError(field: "key", message: "must match [A-Za-z0-9_.:-]{1,128}")])
    }

    @Test func sessionsAndChatsNeedTheirSubject() {
        #expect(fields(CreateSessionRequest(query: "")) == ["query"])
        #expect(fields(CreateChatRequest(targetType: "", targetID: "")) == ["target_type", "target_id"])
        #expect(CreateMessageRequest(role: .assistant, content: "").isValid)
        #expect(PutStateRequest(value: .null).isValid)
    }

    // MARK: Jobs, tasks, inbox

    @Test(arguments: [(0, false), (1, true), (200, true), (201, false)])
    func idempotencyKeyLength(length: Int, valid: Bool) {
        #expect(CreateTaskRequest(action: .memoryScan, idempotencyKey: repeated("k", length)).isValid == valid)
    }

    @Test(arguments: [(0, false), (1, true), (25, true), (26, false)])
    func maxAttempts(attempts: Int, valid: Bool) {
        #expect(CreateTaskRequest(action: .memoryScan, maxAttempts: attempts).isValid == valid)
        if !valid {
            #expect(
                CreateTaskRequest(action: .memoryScan, maxAttempts: attempts).validate()
                    == [FieldError(field: "max_attempts", message: "must be between 1 and 25")])
        }
    }

    @Test(arguments: [(-1, false), (0, true), (5, true), (6, false)])
    func notificationPriority(priority: Int, valid: Bool) {
        #expect(CreateNotificationRequest(title: "t", body: "", priority: priority).isValid == valid)
    }

    @Test func notificationNeedsATitle() {
        #expect(fields(CreateNotificationRequest(title: "", body: "b")) == ["title"])
    }

    @Test(arguments: [
        "https://hooks.example.com/x", "http://example.com", "HTTP://EXAMPLE.COM/path?q=1#f",
        "https://example.com:8443/a", "http://[::1]:8080/", "http://127.0.0.1/",
    ])
    func acceptedHTTPURLs(url: String) {
        #expect(JobAction.http(url: url, method: .post, body: nil).isValid)
    }

    @Test(arguments: [
        ("", "must not be empty"),
        ("ftp://example.com/x", "must use the http or https scheme"),
        ("file:///etc/passwd", "must use the http or https scheme"),
        ("mailto:a@example.com", "must use the http or https scheme"),
        ("example.com/x", "must be an absolute http or https URL"),
        ("/relative", "must be an absolute http or https URL"),
        ("https://user@example.com/", "must not contain user info"),
        ("https://user:pw@example.com/", "must not contain user info"),
        ("https://:pw@example.com/", "must not contain user info"),
        ("https://@example.com/", "must not contain user info"),
        ("https://allowed.example@evil.example/", "must not contain user info"),
        ("http://", "must name a host"),
        ("http:///path", "must name a host"),
        ("https://exa mple.com", "must not contain whitespace, control characters or backslashes"),
        ("https://evil.example\\@allowed.example/", "must not contain whitespace, control characters or backslashes"),
        ("https://example.com/\n", "must not contain whitespace, control characters or backslashes"),
    ])
    func refusedHTTPURLs(url: String, message: String) {
        #expect(JobAction.http(url: url, method: .post, body: nil).validate() == [FieldError(field: "url", message: message)])
    }

    @Test func actionErrorsAreNamedUnderAction() {
        let badAction = JobAction.http(url: "https://u@example.com", method: .post, body: nil)
        #expect(fields(CreateJobRequest(name: "n", cronExpression: "* * * * *", action: badAction)) == ["action.url"])
        #expect(fields(CreateTaskRequest(action: badAction)) == ["action.url"])
        #expect(fields(UpdateJobRequest(action: badAction)) == ["action.url"])
        #expect(fields(CreateTaskRequest(action: .notify(title: "", body: ""))) == ["action.title"])
        #expect(fields(CreateTaskRequest(action: .agent(agentType: "", query: ""))) == ["action.agent_type", "action.query"])
        #expect(CreateTaskRequest(action: .notify(title: "t", body: "")).isValid)
    }

    @Test func jobRequestsReportEveryViolationAtOnce() {
        let request = CreateJobRequest(
            name: "", cronExpression: "", timezone: "",
            action: .http(url: "ftp://x", method: .post, body: nil)
        )
        #expect(fields(request) == ["name", "cron_expression", "timezone", "action.url"])
        #expect(throws: ValidationFailure.self) { try request.validated() }
        do {
            _ = try request.validated()
        } catch {
            #expect(error.errors.count == 4)
        }
        let valid = CreateJobRequest(name: "n", cronExpression: "0 8 * * *", timezone: "Europe/Paris", action: .memoryScan)
        #expect((try? valid.validated()) == valid)
        #expect(fields(UpdateJobRequest(name: "", cronExpression: "")) == ["name", "cron_expression"])
    }
}

import ApexProtocol
import ServiceKit
import Testing

@testable import Memory

@Suite("Session status transitions")
struct SessionTransitionTests {
    @Test func runningMayFinishAndFinishedIsFinal() {
        #expect(SessionTransition.resolve(from: .running, to: nil) == .success(.unchanged))
        #expect(SessionTransition.resolve(from: .running, to: .running) == .success(.unchanged))
        for finished in [SessionStatus.completed, .failed, .cancelled] {
            #expect(SessionTransition.resolve(from: .running, to: finished) == .success(.finish(finished)))
            #expect(SessionTransition.resolve(from: finished, to: finished) == .success(.unchanged))
            #expect(SessionTransition.resolve(from: finished, to: nil) == .success(.unchanged))
            for other in SessionStatus.allCases where other != finished {
                #expect(
                    SessionTransition.resolve(from: finished, to: other)
                        == .failure(SessionTransition.Conflict(current: finished, requested: other)))
            }
        }
    }
}

@Suite("Page cursors")
struct PageCursorTests {
    @Test func roundTripsExactlyIncludingIdsWithColons() throws {
        let cursor = PageCursor(list: "chats", microseconds: 1_795_000_000_123_457, id: "team:alpha.1")
        #expect(try PageCursor(decoding: cursor.encoded, list: "chats") == cursor)
        #expect(!cursor.encoded.contains("="))
    }

    @Test func refusesCursorsThisListDidNotIssue() {
        let other = PageCursor(list: "sessions", microseconds: 1, id: "x").encoded
        for text in [other, "not-base64!", "YWJj", "====", String(repeating: "A", count: 600), "bWVtb3JpZXM6eDp5"] {
            #expect(throws: APIError.self, "\(text)") { try PageCursor(decoding: text, list: "chats") }
        }
        let error = #expect(throws: APIError.self) { try PageCursor(decoding: other, list: "chats") }
        #expect(error?.errors.map(\.field) == ["cursor"])
    }
}

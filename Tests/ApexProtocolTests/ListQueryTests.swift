import Foundation
import Testing

@testable import ApexProtocol

@Suite struct ListQueryTests {
    @Test(arguments: [(nil, 50), ("1", 1), ("50", 50), ("200", 200), ("007", 7)] as [(String?, Int)])
    func acceptedLimits(raw: String?, limit: Int) throws {
        #expect(try ListQuery.parseLimit(raw).get() == limit)
        #expect(try ListQuery(limit: raw, cursor: nil).limit == limit)
    }

    @Test(arguments: ["0", "201", "", "-1", "+5", " 5", "5 ", "5.0", "abc", "1e2", "99999999999999999999", "٥"])
    func refusedLimits(raw: String) {
        #expect(ListQuery.parseLimit(raw) == .failure(FieldError(field: "limit", message: "must be between 1 and 200")))
        #expect(throws: ValidationFailure.self) { try ListQuery(limit: raw, cursor: nil) }
    }

    @Test func cursorPassesThroughAndEmptyMeansFirstPage() throws {
        #expect(try ListQuery(limit: nil, cursor: "opaque").cursor == "opaque")
        #expect(try ListQuery(limit: nil, cursor: "").cursor == nil)
        #expect(try ListQuery(limit: nil, cursor: nil) == ListQuery())
    }

    @Test func enumFiltersRefuseUnknownValues() {
        #expect(ListQuery.parseFilter("running", as: SessionStatus.self, field: "status") == .success(.running))
        #expect(ListQuery.parseFilter(nil, as: SessionStatus.self, field: "status") == .success(nil))
        #expect(ListQuery.parseFilter("", as: TaskStatus.self, field: "status") == .success(nil))
        #expect(
            ListQuery.parseFilter("Running", as: SessionStatus.self, field: "status")
                == .failure(FieldError(field: "status", message: "must be one of: running, completed, failed, cancelled")))
        #expect(
            ListQuery.parseFilter("done", as: TaskStatus.self, field: "status")
                == .failure(FieldError(field: "status", message: "must be one of: queued, running, succeeded, failed, dead")))
    }

    @Test func booleanFiltersTakeOnlyTrueAndFalse() {
        #expect(ListQuery.parseBoolFilter("true", field: "unread_only") == .success(true))
        #expect(ListQuery.parseBoolFilter("false", field: "unread_only") == .success(false))
        #expect(ListQuery.parseBoolFilter(nil, field: "unread_only") == .success(nil))
        for raw in ["1", "yes", "TRUE", "True"] {
            #expect(
                ListQuery.parseBoolFilter(raw, field: "unread_only")
                    == .failure(FieldError(field: "unread_only", message: "must be true or false")))
        }
    }

    @Test func statusHelpers() {
        #expect(SessionStatus.allCases.filter(\.isFinished) == [.completed, .failed, .cancelled])
        #expect(TaskStatus.allCases.filter(\.isTerminal) == [.succeeded, .dead])
        #expect(JobRunStatus.allCases.filter { !$0.isFinished } == [.running])
    }
}

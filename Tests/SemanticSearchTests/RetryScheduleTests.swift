import Foundation
import Testing

@testable import SemanticSearch

/// The backoff and `Retry-After` rules shared by the remote embedders.
@Suite("Remote embedding retry schedule")
struct RetryScheduleTests {
    @Test func backoffDoublesWithJitterAndACap() {
        let schedule = RetrySchedule.standard
        #expect(schedule.maxAttempts == 4)
        #expect(schedule.delay(after: 1, retryAfter: nil, random: 1) == .milliseconds(500))
        #expect(schedule.delay(after: 1, retryAfter: nil, random: 0) == .milliseconds(250))
        #expect(schedule.delay(after: 2, retryAfter: nil, random: 1) == .seconds(1))
        #expect(schedule.delay(after: 3, retryAfter: nil, random: 1) == .seconds(2))
        #expect(schedule.delay(after: 10, retryAfter: nil, random: 1) == .seconds(8))
        for _ in 0..<100 {
            let wait = schedule.delay(after: 2, retryAfter: nil)!
            #expect(wait >= .milliseconds(500) && wait <= .seconds(1))
        }
    }

    @Test func retryAfterReplacesTheBackoffUnlessItIsTooLong() {
        let schedule = RetrySchedule.standard
        #expect(schedule.delay(after: 1, retryAfter: .seconds(3)) == .seconds(3))
        #expect(schedule.delay(after: 1, retryAfter: .seconds(30)) == .seconds(30))
        #expect(schedule.delay(after: 1, retryAfter: .seconds(31)) == nil)
    }

    @Test func readsRetryAfterSecondsAndDates() {
        #expect(RetryAfterHeader.delay("2") == .seconds(2))
        #expect(RetryAfterHeader.delay(" 0.5 ") == .milliseconds(500))
        #expect(RetryAfterHeader.delay("0") == .zero)
        #expect(RetryAfterHeader.delay(nil) == nil)
        #expect(RetryAfterHeader.delay("soon") == nil)
        #expect(RetryAfterHeader.delay("-1") == nil)
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryAfterHeader.delay("Wed, 21 Oct 2015 07:28:10 GMT", now: now) == .seconds(10))
        #expect(RetryAfterHeader.delay("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == .zero)
    }

    @Test func unitVectorsRejectDegenerateInput() {
        #expect(UnitVector.normalised([0, 0]) == nil)
        #expect(UnitVector.normalised([.nan, 1]) == nil)
        #expect(UnitVector.normalised([.infinity, 1]) == nil)
        #expect(UnitVector.normalised([0, 2]) == [0, 1])
    }
}

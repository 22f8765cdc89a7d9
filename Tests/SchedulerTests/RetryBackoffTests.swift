import Testing

@testable import Scheduler

@Suite("Retry backoff")
struct RetryBackoffTests {
    private let backoff = RetryBackoff.standard

    @Test func upperBoundDoublesFromTwoSecondsUpToTenMinutes() {
        #expect(backoff.maximumDelay(afterAttempt: 1) == .seconds(2))
        #expect(backoff.maximumDelay(afterAttempt: 2) == .seconds(4))
        #expect(backoff.maximumDelay(afterAttempt: 3) == .seconds(8))
        #expect(backoff.maximumDelay(afterAttempt: 9) == .seconds(512))
        #expect(backoff.maximumDelay(afterAttempt: 10) == .seconds(600))  // 1024 s capped
        #expect(backoff.maximumDelay(afterAttempt: 25) == .seconds(600))
    }

    @Test func hugeAttemptNumbersDoNotOverflow() {
        var random = CronTestRandom(seed: 1)
        for attempt in [62, 63, 64, 65, 1000, Int.max] {
            #expect(backoff.maximumDelay(afterAttempt: attempt) == .seconds(600))
            let delay = backoff.delay(afterAttempt: attempt, random: &random)
            #expect(delay >= .zero && delay <= .seconds(600))
        }
    }

    @Test func attemptsBelowOneCountAsTheFirst() {
        #expect(backoff.maximumDelay(afterAttempt: 0) == .seconds(2))
        #expect(backoff.maximumDelay(afterAttempt: -5) == .seconds(2))
    }

    @Test(arguments: 1...12)
    func delaysStayWithinTheirBoundAndSpreadOverIt(attempt: Int) {
        var random = CronTestRandom(seed: UInt64(attempt) &* 7919)
        let upper = backoff.maximumDelay(afterAttempt: attempt)
        var total = Duration.zero
        var lowQuarter = 0
        var highQuarter = 0
        let samples = 4000
        for _ in 0..<samples {
            let delay = backoff.delay(afterAttempt: attempt, random: &random)
            #expect(delay >= .zero && delay <= upper)
            total += delay
            if delay < upper / 4 { lowQuarter += 1 }
            if delay > upper * 3 / 4 { highQuarter += 1 }
        }
        // Full jitter: uniform over [0, upper], so mean ≈ upper / 2 and every quarter is hit.
        let mean = total / samples
        #expect(mean > upper * 45 / 100 && mean < upper * 55 / 100, "mean \(mean) for bound \(upper)")
        #expect(lowQuarter > samples / 5 && highQuarter > samples / 5)
    }

    @Test func sameSeedSameDelays() {
        var first = CronTestRandom(seed: 2026)
        var second = CronTestRandom(seed: 2026)
        let a = (1...20).map { backoff.delay(afterAttempt: $0, random: &first) }
        let b = (1...20).map { backoff.delay(afterAttempt: $0, random: &second) }
        #expect(a == b)
        var third = CronTestRandom(seed: 2027)
        #expect(a != (1...20).map { backoff.delay(afterAttempt: $0, random: &third) })
    }

    @Test func customBaseAndCap() {
        let fast = RetryBackoff(base: .milliseconds(100), cap: .seconds(1))
        #expect(fast.maximumDelay(afterAttempt: 1) == .milliseconds(100))
        #expect(fast.maximumDelay(afterAttempt: 4) == .milliseconds(800))
        #expect(fast.maximumDelay(afterAttempt: 5) == .seconds(1))
        let none = RetryBackoff(base: .zero, cap: .seconds(1))
        var random = CronTestRandom(seed: 3)
        #expect(none.delay(afterAttempt: 3, random: &random) == .zero)
    }
}

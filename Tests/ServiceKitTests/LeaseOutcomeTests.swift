import Testing

@testable import ServiceKit

/// The acquire timer and a lent connection race; exactly one may win, so a request never both
/// answers 503 and runs its statements.
@Suite("Lease outcome")
struct LeaseOutcomeTests {
    @Test func theFirstClaimWinsAndTheOtherLoses() {
        let connectedFirst = LeaseOutcome()
        #expect(connectedFirst.claimConnection())
        #expect(!connectedFirst.claimTimeout())
        #expect(!connectedFirst.claimConnection(), "a second claim never wins")

        let timedOutFirst = LeaseOutcome()
        #expect(timedOutFirst.claimTimeout())
        #expect(!timedOutFirst.claimConnection())
    }

    @Test func underConcurrencyExactlyOneSideWinsEachRace() async {
        let races = 2_000
        let outcomes = (0..<races).map { _ in LeaseOutcome() }
        let wins = await withTaskGroup(of: Int.self) { group in
            for outcome in outcomes {
                group.addTask { outcome.claimConnection() ? 1 : 0 }
                group.addTask { outcome.claimTimeout() ? 1 : 0 }
            }
            return await group.reduce(0, +)
        }
        #expect(wins == races)
    }
}

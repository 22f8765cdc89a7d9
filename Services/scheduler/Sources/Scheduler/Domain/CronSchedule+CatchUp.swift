public import Foundation

extension CronSchedule {
    /// How far back `catchUp` counts missed slots; older ones are not counted (and the result
    /// says so with `missedSlotsTruncated`).
    public static let catchUpCountingLimit: Duration = .seconds(10 * 366 * 86_400)

    /// The slots due in `(lastSlot, now]`, coalesced: the latest of them, how many before it were
    /// missed, and the next slot after `now`. `nil` when no slot is due.
    ///
    /// `lastSlot` is the last slot already claimed (or the job's creation time). Counting is
    /// arithmetic per day, not per slot: a `* * * * *` job missed for a year (525,600 slots) is
    /// counted exactly in well under a millisecond. A spring-forward gap counts as one slot however
    /// many matching times it swallows; a repeated fall-back hour counts once.
    public func catchUp(after lastSlot: Date, now: Date, in timeZone: TimeZone) -> CronCatchUp? {
        guard canEverFire, let start = Self.flooredSeconds(lastSlot), let end = Self.flooredSeconds(now), end > start
        else { return nil }
        let zone = CronZoneOffsets(timeZone)
        let limit = Int(Self.catchUpCountingLimit.components.seconds)
        let truncated = end - start > limit
        let countFrom = truncated ? end - limit : start

        let highWaterStart = zone.localHighWater(at: countFrom)
        let highWaterEnd = zone.localHighWater(at: end)
        guard highWaterEnd > highWaterStart else { return nil }
        let firstYear =
            CronCivilTime.date(days: CronCivilTime.floorDiv(highWaterEnd, CronCivilTime.secondsPerDay)).year
            - Self.searchHorizonYears
        guard let lastMatch = previousLocalMatch(atOrBefore: CronCivilTime.floorDiv(highWaterEnd, 60) * 60, firstYear: firstYear),
            truncated || lastMatch > highWaterStart
        else { return nil }
        let latest = zone.firstInstant(reachingLocal: lastMatch)
        let count = countOccurrences(after: countFrom, through: end, highWaterStart: highWaterStart, highWaterEnd: highWaterEnd, zone: zone)
        return CronCatchUp(
            latestSlot: Date(timeIntervalSince1970: TimeInterval(latest)),
            missedSlots: max(count - 1, 0),
            missedSlotsTruncated: truncated,
            nextSlot: nextOccurrence(after: end, zone: zone).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        )
    }

    /// The same as `catchUp(after:now:in:)` with `firstDue` itself counted as due (for callers that
    /// keep the job's `next_run` rather than its last slot).
    public func catchUp(from firstDue: Date, now: Date, in timeZone: TimeZone) -> CronCatchUp? {
        // Slots are whole seconds: a slot >= firstDue is a slot > ceil(firstDue) - 1.
        let after = firstDue.timeIntervalSince1970.rounded(.up) - 1
        return catchUp(after: Date(timeIntervalSince1970: after), now: now, in: timeZone)
    }

    /// The number of firing instants in `(after, through]`.
    public func occurrenceCount(after: Date, through: Date, in timeZone: TimeZone) -> Int {
        guard canEverFire, let start = Self.flooredSeconds(after), let end = Self.flooredSeconds(through), end > start
        else { return 0 }
        let zone = CronZoneOffsets(timeZone)
        return countOccurrences(
            after: start, through: end,
            highWaterStart: zone.localHighWater(at: start), highWaterEnd: zone.localHighWater(at: end), zone: zone
        )
    }

    /// Firing instants in `(after, through]`: the matching local minutes in
    /// `(highWater(after), highWater(through)]`, less the duplicates that a spring-forward gap
    /// collapses onto its end.
    func countOccurrences(after: Int, through: Int, highWaterStart: Int, highWaterEnd: Int, zone: CronZoneOffsets) -> Int {
        guard highWaterEnd > highWaterStart else { return 0 }
        var count = countLocalMatches(after: highWaterStart, through: highWaterEnd)
        guard count > 1 else { return count }
        for transition in zone.transitions(after: after, through: through, step: 3 * 3600)
        where transition.offsetAfter > transition.offsetBefore {
            // Local times [T + before, T + after] all first reach the clock at T.
            let gapStart = transition.instant + transition.offsetBefore
            let gapEnd = transition.instant + transition.offsetAfter
            let inGap = countLocalMatches(after: max(highWaterStart, gapStart - 1), through: min(highWaterEnd, gapEnd))
            if inGap > 1 { count -= inGap - 1 }
        }
        return count
    }
}

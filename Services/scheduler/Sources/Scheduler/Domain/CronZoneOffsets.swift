import Foundation

/// UTC offsets of one time zone on whole-second instants (seconds since 1970), and the mapping
/// from local wall-clock times back to instants that cron needs.
///
/// Offsets come from `TimeZone.secondsFromGMT(for:)`; transitions are found by probing, so any
/// offset change is handled (DST, 30-minute shifts like Australia/Lord_Howe, changes of standard
/// offset), on the assumption that a zone does not change its offset twice within the probe
/// step (one hour; three hours for long scans).
struct CronZoneOffsets {
    let timeZone: TimeZone

    /// Every valid instant of a local time lies within this distance of it (offsets are within ±18 h).
    static let window = 18 * 3600
    /// The longest a fall-back overlap can last, plus margin (historic zones repeated up to a day).
    static let overlapLookback = 26 * 3600

    init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    @inline(__always)
    func offset(at instant: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    /// The local wall-clock reading (local seconds since 1970-01-01 00:00 local) at an instant.
    @inline(__always)
    func localTime(at instant: Int) -> Int {
        instant + offset(at: instant)
    }

    /// The instant at which the local time `local` is reached for the first time: the instant
    /// itself when the local time exists once, its first occurrence when it exists twice (fall
    /// back), and the first instant after the gap when it does not exist (spring forward).
    /// Formally: the least instant `u` with `localTime(at: u) >= local`.
    func firstInstant(reachingLocal local: Int) -> Int {
        let before = offset(at: local - Self.window)
        let after = offset(at: local + Self.window)
        if before == after {
            let candidate = local - before
            if offset(at: candidate) == before { return candidate }
        }
        return firstInstantSlow(reachingLocal: local)
    }

    /// `firstInstant(reachingLocal:)` across one or more transitions near `local`.
    func firstInstantSlow(reachingLocal local: Int) -> Int {
        var segmentStart = local - Self.window
        var segmentOffset = offset(at: segmentStart)
        for transition in transitions(after: segmentStart, through: local + Self.window, step: 3600) {
            let candidate = local - segmentOffset
            if candidate < segmentStart { return segmentStart }  // inside a gap: its end
            if candidate < transition.instant { return candidate }
            segmentStart = transition.instant
            segmentOffset = transition.offsetAfter
        }
        let candidate = local - segmentOffset
        return candidate < segmentStart ? segmentStart : candidate
    }

    /// The latest local wall-clock reading at or before `instant` (the "high-water mark"): the
    /// reading at `instant`, or higher for a while after a fall back, when the clock shows local
    /// times it has already shown. A local time is reached after `instant` exactly when it is
    /// greater than this.
    func localHighWater(at instant: Int) -> Int {
        let current = offset(at: instant)
        var highWater = instant + current
        let start = instant - Self.overlapLookback
        if offset(at: start) == current { return highWater }
        for transition in transitions(after: start, through: instant, step: 3600) {
            highWater = max(highWater, transition.instant - 1 + transition.offsetBefore)
        }
        return highWater
    }

    struct Transition {
        /// The first instant with the new offset.
        var instant: Int
        var offsetBefore: Int
        var offsetAfter: Int
    }

    /// Offset changes at instants in `(start, end]`, found by probing every `step` seconds and
    /// bisecting to the exact second.
    func transitions(after start: Int, through end: Int, step: Int) -> [Transition] {
        var result: [Transition] = []
        var position = start
        var current = offset(at: start)
        while position < end {
            let probe = min(position + step, end)
            let probed = offset(at: probe)
            if probed == current {
                position = probe
                continue
            }
            var low = position  // offset == current
            var high = probe  // offset != current
            while high - low > 1 {
                let middle = low + (high - low) / 2
                if offset(at: middle) == current { low = middle } else { high = middle }
            }
            let newOffset = high == probe ? probed : offset(at: high)
            result.append(Transition(instant: high, offsetBefore: current, offsetAfter: newOffset))
            position = high
            current = newOffset
        }
        return result
    }
}

/// Searches over local wall-clock minutes, in "local seconds" (seconds since 1970-01-01 00:00 of
/// the local calendar, ignoring time zones). Pure integer arithmetic on the field bitsets.
extension CronSchedule {
    /// The first matching local minute at or after `start` (which should be on a minute
    /// boundary), or `nil` once the search passes `lastYear`.
    func nextLocalMatch(atOrAfter start: Int, lastYear: Int) -> Int? {
        let startDay = CronCivilTime.floorDiv(start, CronCivilTime.secondsPerDay)
        let secondOfDay = start - startDay * CronCivilTime.secondsPerDay
        var (year, month, day) = CronCivilTime.date(days: startDay)
        var hour = secondOfDay / 3600
        var minute = (secondOfDay % 3600 + 59) / 60
        while true {
            if year > lastYear { return nil }
            if months & (1 << UInt64(month)) == 0 {
                if let nextMonth = CronBitMask.next(months, from: month + 1) {
                    month = nextMonth
                } else {
                    year += 1
                    month = months.trailingZeroBitCount
                }
                day = 1
                hour = 0
                minute = 0
                continue
            }
            let monthLength = CronCivilTime.daysInMonth(year: year, month: month)
            guard day <= monthLength, let matchingDay = nextMatchingDay(year: year, month: month, from: day, monthLength: monthLength)
            else {
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
                day = 1
                hour = 0
                minute = 0
                continue
            }
            if matchingDay != day {
                day = matchingDay
                hour = 0
                minute = 0
            }
            guard let matchingHour = CronBitMask.next(hours, from: hour) else {
                day += 1
                hour = 0
                minute = 0
                continue
            }
            if matchingHour != hour {
                hour = matchingHour
                minute = 0
            }
            guard let matchingMinute = CronBitMask.next(minutes, from: minute) else {
                hour += 1
                minute = 0
                continue
            }
            return CronCivilTime.days(year: year, month: month, day: day) * CronCivilTime.secondsPerDay
                + hour * 3600 + matchingMinute * 60
        }
    }

    /// The last matching local minute at or before `end`, or `nil` once the search passes
    /// below `firstYear`.
    func previousLocalMatch(atOrBefore end: Int, firstYear: Int) -> Int? {
        let endDay = CronCivilTime.floorDiv(end, CronCivilTime.secondsPerDay)
        let secondOfDay = end - endDay * CronCivilTime.secondsPerDay
        var (year, month, day) = CronCivilTime.date(days: endDay)
        var hour = secondOfDay / 3600
        var minute = (secondOfDay % 3600) / 60
        while true {
            if year < firstYear { return nil }
            if months & (1 << UInt64(month)) == 0 {
                if let previousMonth = CronBitMask.previous(months, upTo: month - 1), previousMonth >= 1 {
                    month = previousMonth
                } else {
                    year -= 1
                    month = 63 - months.leadingZeroBitCount
                }
                day = CronCivilTime.daysInMonth(year: year, month: month)
                hour = 23
                minute = 59
                continue
            }
            guard day >= 1, let matchingDay = previousMatchingDay(year: year, month: month, from: day) else {
                month -= 1
                if month < 1 {
                    month = 12
                    year -= 1
                }
                day = CronCivilTime.daysInMonth(year: year, month: month)
                hour = 23
                minute = 59
                continue
            }
            if matchingDay != day {
                day = matchingDay
                hour = 23
                minute = 59
            }
            guard let matchingHour = CronBitMask.previous(hours, upTo: hour) else {
                day -= 1
                hour = 23
                minute = 59
                continue
            }
            if matchingHour != hour {
                hour = matchingHour
                minute = 59
            }
            guard let matchingMinute = CronBitMask.previous(minutes, upTo: minute) else {
                hour -= 1
                minute = 59
                continue
            }
            return CronCivilTime.days(year: year, month: month, day: day) * CronCivilTime.secondsPerDay
                + hour * 3600 + matchingMinute * 60
        }
    }

    /// The first day `>= from` of the month (month already known to match) whose day rule holds.
    @inline(__always)
    func nextMatchingDay(year: Int, month: Int, from day: Int, monthLength: Int) -> Int? {
        if dayOfMonthIsWildcard && dayOfWeekIsWildcard { return day }
        var best = Int.max
        if !dayOfMonthIsWildcard, let byDate = CronBitMask.next(daysOfMonth, from: day) {
            best = byDate
        }
        if !dayOfWeekIsWildcard {
            let weekday = CronCivilTime.weekday(days: CronCivilTime.days(year: year, month: month, day: day))
            let twoWeeks = daysOfWeek | (daysOfWeek << 7)
            best = min(best, day + (twoWeeks >> UInt64(weekday)).trailingZeroBitCount)
        }
        return best <= monthLength ? best : nil
    }

    /// The last day `<= from` (and `>= 1`) of the month whose day rule holds.
    @inline(__always)
    func previousMatchingDay(year: Int, month: Int, from day: Int) -> Int? {
        if dayOfMonthIsWildcard && dayOfWeekIsWildcard { return day }
        var best = 0
        if !dayOfMonthIsWildcard, let byDate = CronBitMask.previous(daysOfMonth, upTo: day) {
            best = byDate
        }
        if !dayOfWeekIsWildcard {
            let weekday = CronCivilTime.weekday(days: CronCivilTime.days(year: year, month: month, day: day))
            let twoWeeks = daysOfWeek | (daysOfWeek << 7)
            // highest set bit at or below weekday + 7 lies in weekday+1 ... weekday+7
            let highest = CronBitMask.previous(twoWeeks, upTo: weekday + 7) ?? (weekday + 7)
            best = max(best, day - (weekday + 7 - highest))
        }
        return best >= 1 ? best : nil
    }

    /// Number of matching local minutes `m` with `after < m <= through`.
    func countLocalMatches(after: Int, through: Int) -> Int {
        let first = CronCivilTime.floorDiv(after, 60) * 60 + 60
        let last = CronCivilTime.floorDiv(through, 60) * 60
        guard first <= last else { return 0 }
        let firstDay = CronCivilTime.floorDiv(first, CronCivilTime.secondsPerDay)
        let lastDay = CronCivilTime.floorDiv(last, CronCivilTime.secondsPerDay)
        let firstMinute = (first - firstDay * CronCivilTime.secondsPerDay) / 60
        let lastMinute = (last - lastDay * CronCivilTime.secondsPerDay) / 60
        if firstDay == lastDay {
            return dayMatches(days: firstDay) ? timesOfDay(from: firstMinute, through: lastMinute) : 0
        }
        var total = 0
        if dayMatches(days: firstDay) { total += timesOfDay(from: firstMinute, through: 1439) }
        if dayMatches(days: lastDay) { total += timesOfDay(from: 0, through: lastMinute) }
        let perDay = hours.nonzeroBitCount * minutes.nonzeroBitCount
        var dayIndex = firstDay + 1
        guard dayIndex < lastDay else { return total }
        var (year, month, day) = CronCivilTime.date(days: dayIndex)
        var weekday = CronCivilTime.weekday(days: dayIndex)
        var monthLength = CronCivilTime.daysInMonth(year: year, month: month)
        var matchingDays = 0
        while dayIndex < lastDay {
            if months & (1 << UInt64(month)) == 0 {
                // skip the rest of the month
                let skip = min(monthLength - day + 1, lastDay - dayIndex)
                dayIndex += skip
                weekday = (weekday + skip) % 7
                day += skip
            } else {
                if dayMatches(day: day, weekday: weekday) { matchingDays += 1 }
                dayIndex += 1
                weekday = weekday == 6 ? 0 : weekday + 1
                day += 1
            }
            if day > monthLength {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
                monthLength = CronCivilTime.daysInMonth(year: year, month: month)
            }
        }
        return total + matchingDays * perDay
    }

    /// Whether the local calendar day (days since 1970-01-01) matches month and day rules.
    func dayMatches(days: Int) -> Bool {
        let (_, month, day) = CronCivilTime.date(days: days)
        return months & (1 << UInt64(month)) != 0 && dayMatches(day: day, weekday: CronCivilTime.weekday(days: days))
    }

    /// Number of matching (hour, minute) pairs with minute-of-day in `from...through`.
    func timesOfDay(from: Int, through: Int) -> Int {
        guard from <= through else { return 0 }
        return timesOfDay(through: through) - timesOfDay(through: from - 1)
    }

    /// Number of matching (hour, minute) pairs with minute-of-day `<= through`.
    private func timesOfDay(through minuteOfDay: Int) -> Int {
        guard minuteOfDay >= 0 else { return 0 }
        let hour = minuteOfDay / 60
        let minute = minuteOfDay % 60
        var count = CronBitMask.count(hours, upTo: hour - 1) * minutes.nonzeroBitCount
        if hours & (1 << UInt64(hour)) != 0 {
            count += CronBitMask.count(minutes, upTo: minute)
        }
        return count
    }
}

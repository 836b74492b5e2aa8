extension PolicyValidator {
    /// Holiday ids are unique and each rule is a complete date, fixed day or n-th weekday.
    func checkHolidays(_ found: inout ProblemList) {
        let holidays = policy.holidays ?? []
        found.duplicates(holidays.map(\.id), path: [.key("holidays")], what: "holiday id", key: "id")
        for (index, rule) in holidays.enumerated() {
            checkHoliday(rule, [.key("holidays"), .index(index)], &found)
        }
    }

    private func checkHoliday(_ rule: HolidayRule, _ path: Path, _ found: inout ProblemList) {
        let shape = "expected either date, or month with day, or month with weekday and nth"
        if rule.date != nil {
            if rule.month != nil || rule.day != nil || rule.weekday != nil || rule.nth != nil {
                found.add(path, "a one-off holiday has only a date; " + shape)
            }
            return
        }
        guard let month = rule.month else {
            found.add(path, "the holiday has no date or month; " + shape)
            return
        }
        guard (1...12).contains(month) else {
            found.add(path + [.key("month")], "invalid month \(month); expected 1–12")
            return
        }
        switch (rule.day, rule.weekday, rule.nth) {
        case (let day?, nil, nil):
            if day < 1 || day > CivilDate.daysInMonth(year: 2001, month: month) {
                found.add(
                    path + [.key("day")], "invalid day \(day) for month \(month); expected a day that occurs every year"
                )
            }
        case (nil, _?, let nth?):
            if !(1...5).contains(nth) && nth != -1 {
                found.add(path + [.key("nth")], "invalid nth \(nth); expected 1–5, or -1 for the last")
            }
        default:
            found.add(path, "ambiguous or incomplete holiday; " + shape)
        }
        if let first = rule.firstYear, let last = rule.lastYear, first > last {
            found.add(path + [.key("last_year")], "last_year \(last) is before first_year \(first)")
        }
    }
}

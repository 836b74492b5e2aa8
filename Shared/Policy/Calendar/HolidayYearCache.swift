import Synchronization

/// The holidays of the years a `BusinessCalendar` does not precompute, resolved once per year
/// and shared by every copy of the calendar and every thread using it.
///
/// A year is computed outside the lock (two threads may both compute a new year; they get the
/// same answer and one is kept). The cache holds at most `capacity` years and starts over when
/// full, so a caller walking through thousands of years keeps memory bounded.
final class HolidayYearCache: Sendable {
    static let capacity = 512

    /// Day numbers (`CivilDate.dayNumber`) of each cached year's holidays.
    private let years = Mutex<[Int: Set<Int>]>([:])

    /// The day numbers of `year`'s holidays, from the cache or from `compute`.
    func holidays(in year: Int, compute: (Int) -> [CivilDate]) -> Set<Int> {
        if let known = years.withLock({ $0[year] }) { return known }
        let days = Set(compute(year).map(\.dayNumber))
        years.withLock { years in
            if years.count >= Self.capacity { years.removeAll(keepingCapacity: true) }
            years[year] = days
        }
        return days
    }

    /// How many years are cached (for tests).
    var count: Int { years.withLock { $0.count } }
}

import Policy

extension FlowContext {
    /// Makes the approved arrangement active: tells the employee and the supervisor, and sets the
    /// timers of its first review and, when it is time-limited, of its expiry notice and expiry.
    func activation() -> [FlowAction] {
        [
            .setStatus(.active),
            .audit(action: "activated", after: ["start_date": "\(request.input.startDate)"]),
            notice(.activated, event: "activated"),
        ] + nextReview(after: nil) + expiryTimers()
    }

    /// Announces the review due on `date` and sets the timer of the next one; nothing unless active.
    func reviewDue(on date: CivilDate) -> [FlowAction] {
        guard request.status == .active else { return [] }
        return [
            .audit(action: "review_due", after: ["date": "\(date)"]),
            notice(.reviewDue, event: "review_due", "\(date)", data: ["review_date": "\(date)"]),
        ] + nextReview(after: date)
    }

    /// Gives notice that the arrangement reaches its limit; nothing unless active.
    func expiryNotice() -> [FlowAction] {
        guard request.status == .active else { return [] }
        return [notice(.expiryNotice, event: "expiry_notice")]
    }

    /// Ends the arrangement at its limit; nothing unless active.
    func expire() -> [FlowAction] {
        guard request.status == .active else { return [] }
        return [.setStatus(.expired), .audit(action: "expired", after: [:]), notice(.expired, event: "expired")]
    }

    /// The timer of the first review date after `date` (after the start date when nil) that is
    /// not past, if the type's review cycle has one.
    private func nextReview(after date: CivilDate?) -> [FlowAction] {
        let input = request.input
        let dates = engine.reviewDates(
            arrangementType: input.arrangementType, activatedOn: input.startDate,
            through: input.startDate.adding(years: 20), endsOn: input.endDate)
        guard let next = dates.first(where: { $0 > (date ?? input.startDate) && $0 >= today }) else { return [] }
        return [.schedule(.reviewDue(next), on: next, hour: 9)]
    }

    /// The expiry notice (09:00 on its date, unless past) and the expiry (00:00 the day after the
    /// last day) of a time-limited arrangement.
    private func expiryTimers() -> [FlowAction] {
        guard let expiry = request.evaluation.expiry ?? engine.expiry(for: request.input) else { return [] }
        let notice: [FlowAction] =
            expiry.noticeOn >= today
            ? [.schedule(.expiryNotice, on: expiry.noticeOn, hour: 9)] : []
        return notice + [.schedule(.expire, on: expiry.lastDay.adding(days: 1), hour: 0)]
    }
}

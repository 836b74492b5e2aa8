import Policy

extension FlowContext {
    /// Ends the request by withdrawal or termination on its effective date (today when none is
    /// set); before then, asks to be run again on that date. Nothing once the request is closed.
    func end(_ kind: EndingKind) -> [FlowAction] {
        guard !request.status.isClosed else { return [] }
        let effective = request.effectiveEndDate ?? today
        guard effective <= today else { return [.waitUntil(effective)] }
        let status = kind.finalStatus
        return [
            .cancelUndecidedSteps,
            .setStatus(status),
            .audit(action: status.rawValue, after: ["effective_date": "\(effective)"]),
            notice(
                kind == .withdraw ? .withdrawn : .terminated, event: status.rawValue,
                data: ["effective_date": "\(effective)"]),
        ]
    }
}

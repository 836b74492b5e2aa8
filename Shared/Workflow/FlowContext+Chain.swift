import Policy

extension FlowContext {
    /// Reconciles the request with its steps: closes it as denied when a step is, waits while a
    /// step is open, opens the next pending step, or approves it when every step is decided.
    /// Nothing once the request is closed, approved or active.
    func advance() -> [FlowAction] {
        guard !request.status.isClosed, !request.status.isGranted else { return [] }
        if let denied = steps.first(where: { $0.status == .denied }) { return deny(by: denied) }
        if steps.contains(where: { $0.status == .open }) { return markPendingApproval() }
        if let next = steps.first(where: { $0.status == .pending }) { return open(next) }
        return approve()
    }

    /// The status set to pending approval, unless it is already.
    private func markPendingApproval() -> [FlowAction] {
        request.status == .pendingApproval ? [] : [.setStatus(.pendingApproval)]
    }

    /// Opens `step`, due its SLA in business days from today, tells its approver and sets its timers.
    private func open(_ step: StepRecord) -> [FlowAction] {
        let sla = step.slaBusinessDays ?? engine.policy.defaultSlaBusinessDays ?? 5
        let due = engine.calendar.adding(businessDays: sla, to: today)
        let audit = FlowAction.audit(
            action: "step_opened",
            after: [
                "step": "\(step.index)", "role": step.role, "approver": step.approverEmail, "due_date": "\(due)",
            ])
        let told = notice(
            .stepOpened, event: "step_opened", "\(step.index)", to: [step.approver],
            data: ["step_role": step.role, "due_date": "\(due)"], action: step.stepAction)
        return [.openStep(index: step.index, due: due)] + markPendingApproval() + [audit, told]
            + timers(for: step, due: due)
    }

    /// A reminder the business day before the due date (09:00 local, when that is still to come)
    /// and an escalation once the due date has passed (00:00 local the next day).
    private func timers(for step: StepRecord, due: CivilDate) -> [FlowAction] {
        let remindOn = engine.calendar.adding(businessDays: -1, to: due)
        let reminder: [FlowAction] =
            remindOn > today
            ? [.schedule(.reminder(stepIndex: step.index), on: remindOn, hour: 9)] : []
        return reminder + [.schedule(.escalate(stepIndex: step.index), on: due.adding(days: 1), hour: 0)]
    }

    /// Closes the request as denied by `step`: the other undecided steps are cancelled, and the
    /// employee and the approvers who had approved are told.
    private func deny(by step: StepRecord) -> [FlowAction] {
        let reason = step.reason ?? ""
        let approvers = steps.filter { $0.status == .approved }.map(\.decider)
        return [
            .cancelUndecidedSteps,
            .setStatus(.denied, reason: step.reason),
            .audit(action: "denied", after: ["step": "\(step.index)", "reason": reason]),
            notice(
                .decision, event: "denied", to: [request.employee] + approvers,
                data: ["decision": "denied", "reason": reason, "step_role": step.role]),
        ]
    }

    /// Approves the request once every step is decided; it becomes active now when its start date
    /// has come, else on its start date.
    private func approve() -> [FlowAction] {
        let startDate = request.input.startDate
        let approval: [FlowAction] = [
            .setStatus(.approved),
            .audit(action: "approved", after: ["steps": "\(steps.count)"]),
            notice(.decision, event: "approved", data: ["decision": "approved"]),
        ]
        return approval + (startDate <= today ? activation() : [.schedule(.activate, on: startDate, hour: 0)])
    }
}

import Policy

extension FlowContext {
    /// Reminds the approver of step `index`; nothing unless the step is open.
    func remind(step index: Int) -> [FlowAction] {
        guard let step = openStep(index) else { return [] }
        return [
            notice(
                .reminder, event: "reminder", "\(index)", to: [step.approver], data: data(of: step),
                action: step.stepAction)
        ]
    }

    /// Escalates step `index` past its due date to the escalation role, copying the approver;
    /// nothing unless the step is open.
    func escalate(step index: Int) -> [FlowAction] {
        guard let step = openStep(index) else { return [] }
        let target = Recipient(role: step.escalationRole ?? step.role, email: step.escalationEmail)
        let escalatedTo = step.escalationEmail ?? step.escalationRole ?? ""
        return [
            .audit(action: "escalated", after: ["step": "\(index)", "to": escalatedTo]),
            notice(.escalation, event: "escalation", "\(index)", to: [target, step.approver], data: data(of: step)),
            .countEscalation,
        ]
    }

    /// Step `index` when it exists and is open.
    private func openStep(_ index: Int) -> StepRecord? {
        steps.first { $0.index == index && $0.status == .open }
    }

    /// The template variables of a message about an open step.
    private func data(of step: StepRecord) -> [String: String] {
        ["step_role": step.role, "due_date": step.dueDate.map { "\($0)" } ?? ""]
    }
}

import Policy

/// What the approval flow tells about a step, and to whom.
extension StepRecord {
    /// The step's approver, as someone to tell.
    var approver: Recipient { Recipient(role: role, email: approverEmail) }

    /// Who decided the step, as someone to tell.
    var decider: Recipient { Recipient(role: role, email: decidedBy) }

    /// What the approver's approve/deny links act on.
    var stepAction: StepAction { StepAction(stepIndex: index, approverEmail: approverEmail) }
}

extension PolicyEngine {
    /// The ordered approval chain: the tenant's steps whose conditions hold, plus steps added
    /// by rules (placed before/after a named step, else at the end), each with its approver,
    /// SLA, projected due date and escalation.
    func resolveChain(
        _ request: ArrangementRequest, _ conditions: ConditionEvaluator,
        _ outcome: inout EvaluationBuilder
    ) -> [ChainStep] {
        var planned: [(step: ApprovalStepDefinition, addedBy: String?)] = policy.chain
            .filter { conditions.holds($0.when) }
            .map { ($0, nil) }
        for (step, ruleId) in outcome.addedSteps
        where !planned.contains(where: { $0.step.id == step.id })
            && conditions.holds(step.when)
        {
            if let before = step.before, let index = planned.firstIndex(where: { $0.step.id == before }) {
                planned.insert((step, ruleId), at: index)
            } else if let after = step.after, let index = planned.firstIndex(where: { $0.step.id == after }) {
                planned.insert((step, ruleId), at: index + 1)
            } else {
                planned.append((step, ruleId))
            }
        }
        var chain: [ChainStep] = []
        var due = request.submittedOn
        for (index, item) in planned.enumerated() {
            let sla = item.step.slaBusinessDays ?? defaultSLA
            due = calendar.adding(businessDays: sla, to: due)
            chain.append(makeStep(item.step, index: index, sla: sla, due: due, addedBy: item.addedBy, request: request))
        }
        keepEmployeeOffChain(&chain, request, &outcome)
        if distinctApprovers { separateApprovers(&chain, request, &outcome) }
        return chain
    }

    private func makeStep(
        _ step: ApprovalStepDefinition, index: Int, sla: Int, due: CivilDate, addedBy: String?,
        request: ArrangementRequest
    ) -> ChainStep {
        let department = request.employee.department
        let escalation = step.escalationRole ?? roles[step.role]?.escalatesTo
        let delegates = step.delegateRoles ?? []
        return ChainStep(
            index: index, stepId: step.id, role: step.role,
            approverEmail: approver(
                forRole: step.role, department: department, supervisorEmail: request.supervisorEmail),
            slaBusinessDays: sla, dueDate: due, escalationRole: escalation,
            escalationEmail: escalation.flatMap {
                approver(forRole: $0, department: department, supervisorEmail: request.supervisorEmail)
            },
            delegable: step.delegable ?? !delegates.isEmpty, delegableTo: delegates, addedBy: addedBy,
            citation: step.source)
    }

    /// Where one person would approve twice, routes the later step to a delegate or the
    /// escalation holder who has not approved yet, and says so; warns when nobody is left.
    private func separateApprovers(
        _ chain: inout [ChainStep], _ request: ArrangementRequest,
        _ outcome: inout EvaluationBuilder
    ) {
        // The employee counts as seen: no step is rerouted to them (keepEmployeeOffChain).
        var seen: Set<String> = [Self.identity(request.employee.email)]
        for index in chain.indices {
            guard let email = chain[index].approverEmail.map(Self.identity) else { continue }
            if seen.insert(email).inserted { continue }
            let alternates = chain[index].delegableTo + [chain[index].escalationRole].compactMap { $0 }
            let department = request.employee.department
            let replacement = alternates.lazy.compactMap { role -> (String, String)? in
                guard
                    let holder = self.approver(
                        forRole: role, department: department,
                        supervisorEmail: request.supervisorEmail),
                    !seen.contains(Self.identity(holder))
                else { return nil }
                return (role, holder)
            }.first
            if let (role, holder) = replacement {
                outcome.warn(
                    RuleViolation(
                        ruleId: "chain.distinct_approvers",
                        message:
                            "\(email) already approves an earlier step, so step \(chain[index].stepId) goes to the \(role), \(holder)."
                    ))
                chain[index].approverEmail = holder
                seen.insert(Self.identity(holder))
            } else {
                outcome.warn(
                    RuleViolation(
                        ruleId: "chain.distinct_approvers",
                        message: "\(email) would approve twice; step \(chain[index].stepId) needs a different approver."
                    ))
            }
        }
    }
}

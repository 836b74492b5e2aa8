/// Collects an evaluation's violations, warnings, added steps and findings.
struct EvaluationBuilder {
    var violations: [RuleViolation] = []
    var warnings: [RuleViolation] = []
    var addedSteps: [(step: ApprovalStepDefinition, ruleId: String)] = []
    var findings: [ComplianceFinding] = []

    mutating func violate(_ violation: RuleViolation) {
        violations.append(violation)
    }

    mutating func warn(_ warning: RuleViolation) {
        warnings.append(warning)
    }

    func finish(chain: [ChainStep], distinctApprovers: Bool, expiry: ArrangementExpiry?) -> Evaluation {
        Evaluation(
            eligible: violations.isEmpty, violations: violations, warnings: warnings, chain: chain,
            findings: findings, distinctApprovers: distinctApprovers, expiry: expiry)
    }
}

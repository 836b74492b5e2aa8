import Foundation
import Policy

/// Conversions between the policy engine's types and the API's generated schemas.
enum SchemaMapping {
    static func employee(_ employee: Policy.Employee) -> Components.Schemas.Employee {
        Components.Schemas.Employee(
            email: employee.email, name: employee.name, department: employee.department,
            employeeClass: employee.employeeClass.isEmpty ? nil : employee.employeeClass, exempt: employee.exempt,
            bargainingUnit: employee.bargainingUnit, jobTitle: employee.jobTitle,
            monthsEmployed: employee.monthsEmployed.map(Int32.init), lastRating: employee.lastRating,
            pendingPerformanceAction: employee.pendingPerformanceAction,
            monthsSinceLastDiscipline: employee.monthsSinceLastDiscipline.map(Int32.init),
            coveredByCollectiveAgreement: employee.coveredByCollectiveAgreement)
    }

    static func violation(_ violation: RuleViolation) -> Components.Schemas.Violation {
        Components.Schemas.Violation(ruleId: violation.ruleId, message: violation.message, citation: violation.citation, field: violation.field)
    }

    static func finding(_ finding: ComplianceFinding) -> Components.Schemas.Finding {
        Components.Schemas.Finding(ruleId: finding.ruleId, kind: finding.kind, jurisdiction: finding.jurisdiction,
                                   effect: finding.effect.rawValue, message: finding.message)
    }

    static func step(_ step: StepRecord) -> Components.Schemas.Step {
        Components.Schemas.Step(
            index: Int32(step.index), stepId: step.stepID, role: step.role, approverEmail: step.approverEmail,
            actingApproverEmail: step.actingApproverEmail,
            status: Components.Schemas.StepStatus(rawValue: step.status) ?? .pending, dueDate: step.dueDate,
            openedAt: step.openedAt, decidedAt: step.decidedAt,
            decision: step.decision.flatMap(Components.Schemas.Decision.init(rawValue:)), reason: step.reason,
            addedBy: step.addedBy ?? "chain")
    }

    static func event(_ event: EventRecord) -> Components.Schemas.Event {
        Components.Schemas.Event(
            seq: event.id, at: event.at, actor: event.actor, action: event.action,
            before: event.before.flatMap { try? JSONDecoder().decode(Components.Schemas.Event.BeforePayload.self, from: Data($0.utf8)) },
            after: event.after.flatMap { try? JSONDecoder().decode(Components.Schemas.Event.AfterPayload.self, from: Data($0.utf8)) })
    }

    static func status(_ text: String) -> Components.Schemas.RequestStatus {
        Components.Schemas.RequestStatus(rawValue: text) ?? .submitted
    }

    /// The full view of a request: its input, chain, findings, alerts and history.
    static func detail(_ request: RequestRecord, steps: [StepRecord], alerts: [AlertRecord], events: [EventRecord]) -> Components.Schemas.RequestDetail {
        let input = request.input
        return Components.Schemas.RequestDetail(
            id: request.id.uuidString.lowercased(), tenant: request.tenantID, status: status(request.status),
            policyVersion: Int32(request.policyVersion), arrangementType: input.arrangementType,
            employee: employee(input.employee), supervisorEmail: input.supervisorEmail,
            remoteDaysPerWeek: input.remoteDaysPerWeek.map(Int32.init), schedule: input.schedule,
            location: input.location.map { .init(country: $0.country, region: $0.region, city: $0.city) },
            startDate: input.startDate.description, endDate: input.endDate?.description, justification: input.justification,
            attestations: input.attestations.isEmpty ? nil : .init(additionalProperties: input.attestations),
            fields: input.fields.isEmpty ? nil : .init(additionalProperties: input.fields), isEmergency: input.isEmergency,
            createdAt: request.createdAt, updatedAt: request.updatedAt, decisionReason: request.decisionReason,
            effectiveEndDate: request.effectiveEndDate, reviewDate: nil,
            chain: steps.map(step), findings: request.evaluation.findings.map(finding), alerts: alerts.map(\.schema),
            warnings: request.evaluation.warnings.map(violation), events: events.map(event))
    }
}

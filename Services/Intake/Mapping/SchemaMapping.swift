import Foundation
import Policy
import Storage
import Workflow

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
        Components.Schemas.Violation(
            ruleId: violation.ruleId, message: violation.message, citation: violation.citation, field: violation.field)
    }

    static func finding(_ finding: ComplianceFinding) -> Components.Schemas.Finding {
        Components.Schemas.Finding(
            ruleId: finding.ruleId, kind: finding.kind, jurisdiction: finding.jurisdiction,
            effect: finding.effect.rawValue, message: finding.message)
    }

    static func step(_ step: StepRecord) -> Components.Schemas.Step {
        Components.Schemas.Step(
            index: Int32(step.index), stepId: step.stepID, role: step.role, approverEmail: step.approverEmail,
            actingApproverEmail: step.actingApproverEmail,
            status: status(step.status), dueDate: step.dueDate?.description,
            openedAt: step.openedAt, decidedAt: step.decidedAt,
            decision: step.decision.map(decision), reason: step.reason,
            addedBy: step.addedBy ?? "chain")
    }

    static func event(_ event: EventRecord) -> Components.Schemas.Event {
        Components.Schemas.Event(
            seq: event.id, at: event.at, actor: event.actor, action: event.action,
            before: event.before.flatMap {
                try? JSONDecoder().decode(Components.Schemas.Event.BeforePayload.self, from: Data($0.utf8))
            },
            after: event.after.flatMap {
                try? JSONDecoder().decode(Components.Schemas.Event.AfterPayload.self, from: Data($0.utf8))
            })
    }

    /// Total mappings of the shared states to the API's (a state added to one side and not the
    /// other does not compile).
    static func status(_ status: RequestStatus) -> Components.Schemas.RequestStatus {
        switch status {
        case .submitted: .submitted
        case .routing: .routing
        case .pendingApproval: .pendingApproval
        case .approved: .approved
        case .active: .active
        case .denied: .denied
        case .withdrawn: .withdrawn
        case .terminated: .terminated
        case .expired: .expired
        case .rejected: .rejected
        }
    }

    static func status(_ status: StepStatus) -> Components.Schemas.StepStatus {
        switch status {
        case .pending: .pending
        case .open: .open
        case .approved: .approved
        case .denied: .denied
        case .skipped: .skipped
        case .cancelled: .cancelled
        }
    }

    static func status(_ status: AlertStatus) -> Components.Schemas.AlertStatus {
        switch status {
        case .open: .open
        case .acknowledged: .acknowledged
        }
    }

    static func decision(_ decision: Workflow.Decision) -> Components.Schemas.Decision {
        switch decision {
        case .approve: .approve
        case .deny: .deny
        }
    }

    static func decision(_ decision: Components.Schemas.Decision) -> Workflow.Decision {
        switch decision {
        case .approve: .approve
        case .deny: .deny
        }
    }

    static func alert(_ alert: AlertRecord) -> Components.Schemas.Alert {
        Components.Schemas.Alert(
            id: alert.id.uuidString.lowercased(), requestId: alert.requestID?.uuidString.lowercased(),
            ruleId: alert.ruleID,
            kind: alert.kind, jurisdiction: alert.jurisdiction, from: alert.from?.description,
            to: alert.to?.description,
            recipients: alert.recipients, status: status(alert.status), createdAt: alert.createdAt,
            acknowledgedAt: alert.acknowledgedAt, acknowledgedBy: alert.acknowledgedBy, note: alert.note)
    }

    static func delegation(_ record: DelegationRecord) -> Components.Schemas.Delegation {
        .init(
            id: record.id.uuidString.lowercased(), role: record.role, delegatorEmail: record.delegatorEmail,
            delegateEmail: record.delegateEmail, from: record.from.description, to: record.to.description,
            department: record.department, createdAt: record.createdAt)
    }

    /// The full view of a request: its input, chain, findings, alerts and history.
    static func detail(_ request: RequestRecord, steps: [StepRecord], alerts: [AlertRecord], events: [EventRecord])
        -> Components.Schemas.RequestDetail
    {
        let input = request.input
        return Components.Schemas.RequestDetail(
            id: request.idText, tenant: request.tenantID, status: status(request.status),
            policyVersion: Int32(request.policyVersion), arrangementType: input.arrangementType,
            employee: employee(input.employee), supervisorEmail: input.supervisorEmail,
            remoteDaysPerWeek: input.remoteDaysPerWeek.map(Int32.init), schedule: input.schedule,
            location: input.location.map { .init(country: $0.country, region: $0.region, city: $0.city) },
            startDate: input.startDate.description, endDate: input.endDate?.description,
            justification: input.justification,
            attestations: input.attestations.isEmpty ? nil : .init(additionalProperties: input.attestations),
            fields: input.fields.isEmpty ? nil : .init(additionalProperties: input.fields),
            isEmergency: input.isEmergency,
            createdAt: request.createdAt, updatedAt: request.updatedAt, decisionReason: request.decisionReason,
            effectiveEndDate: request.effectiveEndDate?.description, reviewDate: nil,
            chain: steps.map(step), findings: request.evaluation.findings.map(finding), alerts: alerts.map(alert),
            warnings: request.evaluation.warnings.map(violation), events: events.map(event))
    }
}

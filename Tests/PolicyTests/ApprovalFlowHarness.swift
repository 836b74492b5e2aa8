import Foundation
import Testing
import Workflow

@testable import Policy

/// A request and its steps as the router's tables would hold them, changed by the actions the flow
/// returns the way the router carries them out.
struct ApprovalFlowHarness {
    /// Given in lowercase, so event keys show the id as `UUID` prints it (uppercase): the keys of
    /// events already queued and delivered stay the same.
    static let requestID = UUID(uuidString: "6f9619ff-8b86-d011-b42d-00cf4fc964ff")!
    static let idText = "6F9619FF-8B86-D011-B42D-00CF4FC964FF"
    static let employee = Recipient(role: "employee", email: "employee@example.edu")
    static let supervisor = Recipient(role: "supervisor", email: "supervisor@example.edu")

    let engine: PolicyEngine
    var request: RequestRecord
    var steps: [StepRecord]

    /// The row's request as the intake stores it: evaluated, its steps pending.
    init(_ row: FlowCase, status: RequestStatus = .submitted) throws {
        engine = try TenantFixtures.engine(row.tenant)
        let evaluation = engine.evaluate(row.request)
        try #require(evaluation.eligible, "\(row.testDescription): \(evaluation.violations.map(\.ruleId))")
        request = RequestRecord(
            id: Self.requestID, tenantID: row.tenant, policyVersion: 1, status: status,
            input: row.request, evaluation: evaluation)
        steps = try evaluation.chain.map { step in
            StepRecord(
                index: step.index, stepID: step.stepId, role: step.role,
                approverEmail: try #require(step.approverEmail), status: .pending,
                slaBusinessDays: step.slaBusinessDays, escalationRole: step.escalationRole,
                escalationEmail: step.escalationEmail, delegable: step.delegable,
                delegableTo: step.delegableTo, addedBy: step.addedBy)
        }
    }

    var chain: [ChainStep] { request.evaluation.chain }

    /// The flow's answer to `event` on `today`, the state left as it is.
    func actions(_ event: FlowEvent, on today: CivilDate) -> [FlowAction] {
        ApprovalFlow.actions(for: event, request: request, steps: steps, engine: engine, today: today)
    }

    /// The flow's answer to `event` on `today`, its state changes applied.
    @discardableResult
    mutating func run(_ event: FlowEvent, on today: CivilDate) -> [FlowAction] {
        let answer = actions(event, on: today)
        apply(answer)
        return answer
    }

    /// Carries out the state changes of `actions` (timers, audit and messages leave no state here).
    mutating func apply(_ actions: [FlowAction]) {
        for action in actions {
            switch action {
            case .setStatus(let status, let reason):
                request.status = status
                if let reason { request.decisionReason = reason }
            case .openStep(let index, let due):
                guard steps[index].status == .pending else { continue }
                steps[index].status = .open
                steps[index].dueDate = due
            case .skipStep(let index):
                if steps[index].status == .pending { steps[index].status = .skipped }
            case .cancelUndecidedSteps:
                for index in steps.indices where steps[index].status.isUndecided { steps[index].status = .cancelled }
            default:
                continue
            }
        }
    }

    /// An approver's decision on step `index`, as the intake records it.
    mutating func decide(_ index: Int, _ decision: Decision, reason: String? = nil, by delegate: String? = nil) {
        steps[index].status = decision.stepStatus
        steps[index].decision = decision
        steps[index].reason = reason
        steps[index].actingApproverEmail = delegate
    }

    /// The business day before `date`, counted back day by day.
    func businessDay(before date: CivilDate) -> CivilDate {
        var day = date.adding(days: -1)
        while !engine.calendar.isBusinessDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The actions that open step `index` on `today`, due on `due` (the chain's projection).
    func opening(_ index: Int, due: CivilDate, on today: CivilDate, setsPending: Bool) -> [FlowAction] {
        let step = chain[index]
        let approver = Recipient(role: step.role, email: step.approverEmail)
        let remindOn = businessDay(before: due)
        let notice = FlowNotice(
            kind: .stepOpened, eventKey: "step_opened:\(Self.idText):\(index)",
            recipients: [approver],
            data: ["step_role": step.role, "due_date": "\(due)"],
            action: StepAction(stepIndex: index, approverEmail: step.approverEmail ?? ""))
        return [.openStep(index: index, due: due)] + (setsPending ? [.setStatus(.pendingApproval)] : []) + [
            .audit(
                action: "step_opened",
                after: [
                    "step": "\(index)", "role": step.role,
                    "approver": step.approverEmail ?? "", "due_date": "\(due)",
                ]),
            .notify(notice),
        ] + (remindOn > today ? [.schedule(.reminder(stepIndex: index), on: remindOn, hour: 9)] : [])
            + [.schedule(.escalate(stepIndex: index), on: due.adding(days: 1), hour: 0)]
    }

    /// The actions that approve the request once its `count` steps are approved.
    static func approval(steps count: Int) -> [FlowAction] {
        [
            .setStatus(.approved),
            .audit(action: "approved", after: ["steps": "\(count)"]),
            .notify(
                FlowNotice(
                    kind: .decision, eventKey: "approved:\(idText)", recipients: [employee, supervisor],
                    data: ["decision": "approved"])),
        ]
    }

    /// The first review of the type's cycle, `firstAfterMonths` after the start, unless past the end date.
    var firstReview: CivilDate? {
        let input = request.input
        guard let review = engine.policy.arrangementTypes.first(where: { $0.id == input.arrangementType })?.review
        else { return nil }
        let date = input.startDate.adding(months: review.firstAfterMonths)
        return date <= (input.endDate ?? date) ? date : nil
    }

    /// The actions that make the request active on `today` (its review and expiry not yet past).
    func activation(on today: CivilDate) -> [FlowAction] {
        let start = request.input.startDate
        var expected: [FlowAction] = [
            .setStatus(.active),
            .audit(action: "activated", after: ["start_date": "\(start)"]),
            .notify(
                FlowNotice(
                    kind: .activated, eventKey: "activated:\(Self.idText)",
                    recipients: [Self.employee, Self.supervisor])),
        ]
        if let review = firstReview, review >= today {
            expected.append(.schedule(.reviewDue(review), on: review, hour: 9))
        }
        if let expiry = request.evaluation.expiry {
            if expiry.noticeOn >= today { expected.append(.schedule(.expiryNotice, on: expiry.noticeOn, hour: 9)) }
            expected.append(.schedule(.expire, on: expiry.lastDay.adding(days: 1), hour: 0))
        }
        return expected
    }
}

extension [FlowAction] {
    /// The messages among the actions.
    var notices: [FlowNotice] {
        compactMap { if case .notify(let notice) = $0 { notice } else { nil } }
    }

    /// The actions that change the request, its steps, its timers or its messages (not a compliance
    /// check, a wait or a cancelled timer).
    var effects: [FlowAction] {
        filter {
            switch $0 {
            case .checkCompliance, .cancelStepTimers, .waitUntil: false
            default: true
            }
        }
    }
}

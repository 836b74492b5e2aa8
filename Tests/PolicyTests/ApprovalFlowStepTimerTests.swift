import Foundation
import Testing
import Workflow

@testable import Policy

/// Reminders and escalations: they act on an open step only, so a decision makes them void.
@Suite("Approval flow: reminders and escalations")
struct ApprovalFlowStepTimerTests {
    typealias H = ApprovalFlowHarness

    @Test(
        "the open step's approver is reminded and the escalation goes to its escalation role",
        arguments: FlowCase.all)
    func openStep(_ row: FlowCase) throws {
        var flow = try H(row)
        flow.run(.submitted, on: row.request.submittedOn)
        let step = flow.chain[0]
        let approver = Recipient(role: step.role, email: step.approverEmail)
        let data = ["step_role": step.role, "due_date": "\(step.dueDate)"]
        let remindOn = flow.businessDay(before: step.dueDate)
        #expect(
            flow.actions(.reminder(stepIndex: 0), on: remindOn) == [
                .notify(
                    FlowNotice(
                        kind: .reminder, eventKey: "reminder:\(H.idText):0", recipients: [approver], data: data,
                        action: StepAction(stepIndex: 0, approverEmail: step.approverEmail ?? "")))
            ])
        let target = Recipient(role: step.escalationRole ?? step.role, email: step.escalationEmail)
        #expect(
            flow.actions(.escalate(stepIndex: 0), on: step.dueDate.adding(days: 1)) == [
                .audit(
                    action: "escalated", after: ["step": "0", "to": step.escalationEmail ?? step.escalationRole ?? ""]),
                .notify(
                    FlowNotice(
                        kind: .escalation, eventKey: "escalation:\(H.idText):0", recipients: [target, approver],
                        data: data)),
                .countEscalation,
            ])
        if flow.chain.count > 1 {
            #expect(flow.actions(.reminder(stepIndex: 1), on: remindOn) == [], "step 1 is pending")
            #expect(flow.actions(.escalate(stepIndex: 1), on: remindOn) == [], "step 1 is pending")
        }
        #expect(flow.actions(.reminder(stepIndex: flow.chain.count), on: remindOn) == [], "no such step")
        #expect(flow.actions(.escalate(stepIndex: -1), on: remindOn) == [], "no such step")

        flow.decide(0, .approve)
        flow.run(.decided(stepIndex: 0), on: remindOn)
        #expect(flow.actions(.reminder(stepIndex: 0), on: remindOn) == [], "step 0 is decided")
        #expect(flow.actions(.escalate(stepIndex: 0), on: step.dueDate.adding(days: 1)) == [], "step 0 is decided")
        if flow.chain.count > 1 {
            #expect(
                flow.actions(.reminder(stepIndex: 1), on: remindOn).notices.map(\.eventKey)
                    == ["reminder:\(H.idText):1"])
        }
    }

    @Test("MIT: the supervisor's step escalates to the department head; the department head's has no one above")
    func mitEscalations() throws {
        var flow = try H(FlowCase.mit[0])
        let day = TenantFixtures.date
        let supervisor = Recipient(role: "supervisor", email: "supervisor@example.edu")
        let head = Recipient(role: "department_head", email: "dlc-head@example.edu")
        flow.run(.submitted, on: day("2025-02-03"))
        let first = flow.actions(.escalate(stepIndex: 0), on: day("2025-02-19"))
        #expect(first.first == .audit(action: "escalated", after: ["step": "0", "to": "dlc-head@example.edu"]))
        #expect(
            first.notices == [
                FlowNotice(
                    kind: .escalation, eventKey: "escalation:\(H.idText):0",
                    recipients: [head, supervisor],
                    data: ["step_role": "supervisor", "due_date": "2025-02-18"])
            ])
        flow.steps[0].escalationEmail = nil
        #expect(
            flow.actions(.escalate(stepIndex: 0), on: day("2025-02-19")).first
                == .audit(action: "escalated", after: ["step": "0", "to": "department_head"]))

        flow.decide(0, .approve)
        flow.run(.decided(stepIndex: 0), on: day("2025-02-18"))
        let second = flow.actions(.escalate(stepIndex: 1), on: day("2025-03-05"))
        #expect(second.first == .audit(action: "escalated", after: ["step": "1", "to": ""]))
        #expect(second.notices.map(\.recipients) == [[Recipient(role: "department_head"), head]])
        #expect(second.last == .countEscalation)
    }

    @Test("an open step without a due date is reminded with an empty one")
    func noDueDate() throws {
        var flow = try H(FlowCase.rutgers[0])
        flow.steps[0].status = .open
        let notices = flow.actions(.reminder(stepIndex: 0), on: flow.request.input.submittedOn).notices
        #expect(notices.map(\.data) == [["step_role": "supervisor", "due_date": ""]])
    }
}

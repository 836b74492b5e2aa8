import Foundation
import Testing
import Workflow

@testable import Policy

/// The approval chain driven step by step, for every arrangement type of every tenant
/// (deploy/tenants/*.yaml `chain` and `default_sla_business_days`).
@Suite("Approval flow: the chain")
struct ApprovalFlowChainTests {
    typealias H = ApprovalFlowHarness
    static let delegate = "delegate@example.edu"
    static let reason = "Friday coverage at the front desk is needed through June"

    @Test("the table has a request for every arrangement type of every tenant")
    func coverage() throws {
        for tenant in TenantFixtures.tenantIds {
            let types = try TenantFixtures.policy(tenant).arrangementTypes.map(\.id)
            let covered = FlowCase.all.filter { $0.tenant == tenant }.map(\.request.arrangementType)
            #expect(covered.sorted() == types.sorted(), "\(tenant)")
        }
    }

    @Test(
        "each step opens in turn, due as the engine projects, then the request is approved and active",
        arguments: FlowCase.all)
    func wholeChain(_ row: FlowCase) throws {
        var flow = try H(row)
        let chain = flow.chain
        let start = row.request.startDate
        var today = row.request.submittedOn
        #expect(
            flow.run(.submitted, on: today)
                == [.checkCompliance] + flow.opening(0, due: chain[0].dueDate, on: today, setsPending: true))
        #expect(flow.request.status == .pendingApproval)
        #expect(flow.actions(.submitted, on: today) == [.checkCompliance], "submitted again")
        for index in chain.indices {
            #expect(flow.steps[index].status == .open, "step \(index)")
            #expect(flow.steps.filter { $0.status == .open }.count == 1)
            today = chain[index].dueDate
            flow.decide(index, .approve)
            var expected: [FlowAction] = [.cancelStepTimers(index: index)]
            if index + 1 < chain.count {
                expected += flow.opening(index + 1, due: chain[index + 1].dueDate, on: today, setsPending: false)
            } else {
                expected +=
                    H.approval(steps: chain.count)
                    + (start <= today ? flow.activation(on: today) : [.schedule(.activate, on: start, hour: 0)])
            }
            #expect(flow.run(.decided(stepIndex: index), on: today) == expected, "step \(index) decided")
            #expect(flow.actions(.decided(stepIndex: index), on: today) == [.cancelStepTimers(index: index)])
        }
        if start > today {
            #expect(flow.request.status == .approved)
            #expect(flow.run(.activate, on: start) == flow.activation(on: start))
        }
        #expect(flow.request.status == .active)
        #expect(flow.steps.allSatisfy { $0.status == .approved })
        #expect(flow.actions(.activate, on: start) == [])
        #expect(flow.actions(.submitted, on: today) == [.checkCompliance])
    }

    @Test("MIT hybrid: the supervisor, then the department head, around Presidents' Day (EPM 3.1)")
    func mitHybrid() throws {
        var flow = try H(FlowCase.mit[3])
        let day = TenantFixtures.date
        let supervisor = Recipient(role: "supervisor", email: "supervisor@example.edu")
        #expect(
            flow.run(.submitted, on: day("2025-02-03")) == [
                .checkCompliance,
                .openStep(index: 0, due: day("2025-02-18")),
                .setStatus(.pendingApproval),
                .audit(
                    action: "step_opened",
                    after: [
                        "step": "0", "role": "supervisor",
                        "approver": "supervisor@example.edu", "due_date": "2025-02-18",
                    ]),
                .notify(
                    FlowNotice(
                        kind: .stepOpened, eventKey: "step_opened:6F9619FF-8B86-D011-B42D-00CF4FC964FF:0",
                        recipients: [supervisor], data: ["step_role": "supervisor", "due_date": "2025-02-18"],
                        action: StepAction(stepIndex: 0, approverEmail: "supervisor@example.edu"))),
                .schedule(.reminder(stepIndex: 0), on: day("2025-02-14"), hour: 9),
                .schedule(.escalate(stepIndex: 0), on: day("2025-02-19"), hour: 0),
            ])
        flow.decide(0, .approve, by: Self.delegate)
        let second = flow.run(.decided(stepIndex: 0), on: day("2025-02-10"))
        #expect(second.first == .cancelStepTimers(index: 0))
        #expect(second.contains(.openStep(index: 1, due: day("2025-02-25"))))
        #expect(!second.contains(.setStatus(.pendingApproval)))
        let departmentHead = Recipient(role: "department_head", email: "dlc-head@example.edu")
        #expect(second.notices.map(\.recipients) == [[departmentHead]])
        #expect(
            second.suffix(2) == [
                .schedule(.reminder(stepIndex: 1), on: day("2025-02-24"), hour: 9),
                .schedule(.escalate(stepIndex: 1), on: day("2025-02-26"), hour: 0),
            ])
        flow.decide(1, .approve)
        #expect(
            flow.run(.decided(stepIndex: 1), on: day("2025-02-20")) == [.cancelStepTimers(index: 1)]
                + H.approval(steps: 2) + [.schedule(.activate, on: day("2025-03-03"), hour: 0)])
        let activated = flow.run(.activate, on: day("2025-03-03"))
        #expect(activated.notices.map(\.eventKey) == ["activated:6F9619FF-8B86-D011-B42D-00CF4FC964FF"])
        #expect(activated.last == .schedule(.reviewDue(day("2025-06-03")), on: day("2025-06-03"), hour: 9))
    }

    @Test(
        "a denial at any step closes the request, cancels the later steps and tells the earlier approvers",
        arguments: FlowCase.all)
    func denialAtEachStep(_ row: FlowCase) throws {
        let count = try H(row).chain.count
        for position in 0..<count {
            var flow = try H(row)
            var today = row.request.submittedOn
            flow.run(.submitted, on: today)
            for index in 0..<position {
                today = flow.chain[index].dueDate
                flow.decide(index, .approve, by: index == 0 ? Self.delegate : nil)
                flow.run(.decided(stepIndex: index), on: today)
            }
            let told =
                [H.employee]
                + (0..<position).map { index in
                    Recipient(
                        role: flow.chain[index].role,
                        email: index == 0 ? Self.delegate : flow.chain[index].approverEmail)
                }
            flow.decide(position, .deny, reason: Self.reason)
            #expect(
                flow.run(.decided(stepIndex: position), on: today) == [
                    .cancelStepTimers(index: position),
                    .cancelUndecidedSteps,
                    .setStatus(.denied, reason: Self.reason),
                    .audit(action: "denied", after: ["step": "\(position)", "reason": Self.reason]),
                    .notify(
                        FlowNotice(
                            kind: .decision, eventKey: "denied:\(H.idText)", recipients: told,
                            data: [
                                "decision": "denied", "reason": Self.reason,
                                "step_role": flow.chain[position].role,
                            ])),
                ], "denied at step \(position)")
            let expected =
                Array(repeating: StepStatus.approved, count: position) + [.denied]
                + Array(repeating: .cancelled, count: count - position - 1)
            #expect(flow.steps.map(\.status) == expected)
            #expect(flow.request.status == .denied)
            #expect(flow.request.decisionReason == Self.reason)
            #expect(flow.actions(.decided(stepIndex: position), on: today) == [.cancelStepTimers(index: position)])
            #expect(flow.actions(.decided(stepIndex: nil), on: today) == [])
            #expect(flow.actions(.activate, on: row.request.startDate) == [])
        }
    }

    @Test("a denial without a reason leaves the stored reason alone and says an empty one")
    func denialWithoutReason() throws {
        var flow = try H(FlowCase.rutgers[1])
        flow.run(.submitted, on: flow.request.input.submittedOn)
        flow.decide(0, .deny)
        let denied = flow.actions(.decided(stepIndex: 0), on: flow.request.input.submittedOn)
        #expect(denied.contains(.setStatus(.denied, reason: nil)))
        #expect(denied.contains(.audit(action: "denied", after: ["step": "0", "reason": ""])))
        #expect(denied.notices.map(\.data) == [["decision": "denied", "reason": "", "step_role": "supervisor"]])
        #expect(denied.notices.map(\.recipients) == [[H.employee]])
    }

    @Test("a decision without a step index cancels no timers and still moves the chain on")
    func decidedWithoutIndex() throws {
        var flow = try H(FlowCase.univF400[1])
        let today = flow.request.input.submittedOn
        flow.run(.submitted, on: today)
        flow.decide(0, .approve)
        let actions = flow.actions(.decided(stepIndex: nil), on: today)
        #expect(actions.first == .openStep(index: 1, due: TenantFixtures.date("2025-02-10")))
        #expect(!actions.contains(.cancelStepTimers(index: 0)))
    }

    @Test("a step opened with no SLA of its own takes the tenant's default (MIT: 10 business days)")
    func defaultSLA() throws {
        var flow = try H(FlowCase.mit[0])
        flow.steps[0].slaBusinessDays = nil
        let actions = flow.actions(.submitted, on: TenantFixtures.date("2025-03-03"))
        #expect(actions.contains(.openStep(index: 0, due: TenantFixtures.date("2025-03-17"))))
        flow.steps[0].slaBusinessDays = 1
        let short = flow.actions(.submitted, on: TenantFixtures.date("2025-03-03"))
        #expect(short.contains(.openStep(index: 0, due: TenantFixtures.date("2025-03-04"))))
        #expect(
            !short.contains { if case .schedule(.reminder, _, _) = $0 { true } else { false } },
            "the reminder day (today) is not after today")
    }

    @Test(
        "nothing moves a request that is closed, approved or active",
        arguments: [RequestStatus.denied, .withdrawn, .terminated, .expired, .rejected, .approved, .active])
    func settled(_ status: RequestStatus) throws {
        let flow = try H(FlowCase.mines[2], status: status)
        let today = flow.request.input.submittedOn
        #expect(flow.actions(.submitted, on: today) == [.checkCompliance])
        #expect(flow.actions(.decided(stepIndex: 0), on: today) == [.cancelStepTimers(index: 0)])
    }

    @Test("an open step with the request not yet pending approval only sets the status")
    func openStepSetsPending() throws {
        var flow = try H(FlowCase.mines[0], status: .routing)
        flow.steps[0].status = .open
        #expect(
            flow.actions(.submitted, on: flow.request.input.submittedOn) == [
                .checkCompliance,
                .setStatus(.pendingApproval),
            ])
        flow.request.status = .pendingApproval
        #expect(flow.actions(.submitted, on: flow.request.input.submittedOn) == [.checkCompliance])
    }
}

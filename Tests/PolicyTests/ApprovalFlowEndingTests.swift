import Foundation
import Testing
import Workflow

@testable import Policy

/// Withdrawal by the employee and termination by the supervisor or an approver, on their effective date.
@Suite("Approval flow: withdrawal and termination")
struct ApprovalFlowEndingTests {
    typealias H = ApprovalFlowHarness

    struct Row: Sendable, CustomTestStringConvertible {
        let flow: FlowCase
        let kind: EndingKind
        var testDescription: String { "\(flow.testDescription) \(kind)" }
    }

    static let rows = FlowCase.all.flatMap { row in EndingKind.allCases.map { Row(flow: row, kind: $0) } }

    static func ending(_ kind: EndingKind, effective: CivilDate) -> [FlowAction] {
        let status = kind.finalStatus
        return [
            .cancelUndecidedSteps,
            .setStatus(status),
            .audit(action: status.rawValue, after: ["effective_date": "\(effective)"]),
            .notify(
                FlowNotice(
                    kind: kind == .withdraw ? .withdrawn : .terminated,
                    eventKey: "\(status.rawValue):\(H.idText)", recipients: [H.employee, H.supervisor],
                    data: ["effective_date": "\(effective)"])),
        ]
    }

    @Test(
        "during approval: waits until the effective date, then cancels the open steps and ends the request",
        arguments: rows)
    func duringApproval(_ row: Row) throws {
        var flow = try H(row.flow)
        let today = row.flow.request.submittedOn
        flow.run(.submitted, on: today)
        let effective = today.adding(days: 5)
        flow.request.effectiveEndDate = effective
        #expect(flow.actions(.ending(row.kind), on: today) == [.waitUntil(effective)])
        #expect(flow.actions(.ending(row.kind), on: effective.adding(days: -1)) == [.waitUntil(effective)])
        #expect(flow.run(.ending(row.kind), on: effective) == Self.ending(row.kind, effective: effective))
        #expect(flow.request.status == row.kind.finalStatus)
        #expect(flow.steps.allSatisfy { $0.status == .cancelled })
        #expect(flow.actions(.ending(row.kind), on: effective) == [])
        #expect(flow.actions(.reminder(stepIndex: 0), on: effective) == [])
        #expect(flow.actions(.decided(stepIndex: 0), on: effective) == [.cancelStepTimers(index: 0)])
    }

    @Test("an active arrangement ends today without an effective date, or on a past one as given", arguments: rows)
    func activeArrangement(_ row: Row) throws {
        var flow = try H(row.flow, status: .active)
        for index in flow.steps.indices { flow.decide(index, .approve) }
        let today = row.flow.request.startDate.adding(days: 40)
        #expect(flow.actions(.ending(row.kind), on: today) == Self.ending(row.kind, effective: today))
        flow.request.effectiveEndDate = today.adding(days: -3)
        #expect(flow.run(.ending(row.kind), on: today) == Self.ending(row.kind, effective: today.adding(days: -3)))
        #expect(flow.steps.allSatisfy { $0.status == .approved })
        #expect(flow.actions(.expire, on: today) == [])
        #expect(flow.actions(.reviewDue(nil), on: today) == [])
    }

    @Test(
        "a closed request is not ended again",
        arguments: [
            RequestStatus.denied, .withdrawn, .terminated, .expired,
            .rejected,
        ])
    func closed(_ status: RequestStatus) throws {
        var flow = try H(FlowCase.univF400[0], status: status)
        flow.request.effectiveEndDate = TenantFixtures.date("2030-01-01")
        for kind in EndingKind.allCases {
            #expect(flow.actions(.ending(kind), on: TenantFixtures.date("2025-03-05")) == [])
        }
    }
}

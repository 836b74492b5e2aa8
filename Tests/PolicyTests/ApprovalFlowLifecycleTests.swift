import Foundation
import Testing
import Workflow

@testable import Policy

/// Activation, reviews, expiry and endings (each type's `review`, `max_duration` and the tenant's
/// `expiry_notice`; withdrawal and termination on their effective date).
@Suite("Approval flow: activation, reviews, expiry and endings")
struct ApprovalFlowLifecycleTests {
    typealias H = ApprovalFlowHarness

    /// The row's request with every step approved, the last decision not yet routed.
    static func decided(_ row: FlowCase) throws -> H {
        var flow = try H(row, status: .pendingApproval)
        for index in flow.steps.indices { flow.decide(index, .approve) }
        return flow
    }

    /// The timers among `actions`.
    static func timers(_ actions: [FlowAction]) -> [FlowAction] {
        actions.filter { if case .schedule = $0 { true } else { false } }
    }

    @Test(
        "approved before its start date, the request waits for it; on it, it becomes active once",
        arguments: FlowCase.all)
    func activationLater(_ row: FlowCase) throws {
        var flow = try Self.decided(row)
        let start = row.request.startDate
        let last = flow.steps.count - 1
        #expect(
            flow.run(.decided(stepIndex: last), on: start.adding(days: -1))
                == [.cancelStepTimers(index: last)] + H.approval(steps: flow.steps.count)
                + [.schedule(.activate, on: start, hour: 0)])
        #expect(flow.request.status == .approved)
        #expect(flow.actions(.decided(stepIndex: last), on: start) == [.cancelStepTimers(index: last)])
        #expect(flow.run(.activate, on: start) == flow.activation(on: start))
        #expect(flow.request.status == .active)
        #expect(flow.actions(.activate, on: start) == [])
    }

    @Test("approved on or after its start date, the request becomes active at once", arguments: FlowCase.all)
    func activationNow(_ row: FlowCase) throws {
        for offset in [0, 10] {
            var flow = try Self.decided(row)
            let today = row.request.startDate.adding(days: offset)
            let last = flow.steps.count - 1
            #expect(
                flow.run(.decided(stepIndex: last), on: today)
                    == [.cancelStepTimers(index: last)] + H.approval(steps: flow.steps.count)
                    + flow.activation(on: today))
            #expect(flow.request.status == .active)
            #expect(flow.actions(.activate, on: today) == [])
        }
    }

    @Test(
        "activation applies to an approved request only",
        arguments: [RequestStatus.submitted, .pendingApproval, .active, .denied, .withdrawn, .expired])
    func activationNeedsApproval(_ status: RequestStatus) throws {
        let flow = try H(FlowCase.mit[3], status: status)
        #expect(flow.actions(.activate, on: TenantFixtures.date("2025-03-03")) == [])
    }

    @Test("Rutgers fully remote: expiry notice and expiry at one year, no review past the end (Article 59 §II.A.5)")
    func rutgersFullyRemote() throws {
        var flow = try H(FlowCase.rutgers[4], status: .approved)
        let day = TenantFixtures.date
        #expect(
            flow.run(.activate, on: day("2025-03-03")) == [
                .setStatus(.active),
                .audit(action: "activated", after: ["start_date": "2025-03-03"]),
                .notify(
                    FlowNotice(
                        kind: .activated, eventKey: "activated:6F9619FF-8B86-D011-B42D-00CF4FC964FF",
                        recipients: [H.employee, H.supervisor])),
                .schedule(.expiryNotice, on: day("2026-01-31"), hour: 9),
                .schedule(.expire, on: day("2026-03-03"), hour: 0),
            ])
        #expect(
            flow.actions(.expiryNotice, on: day("2026-01-31")) == [
                .notify(
                    FlowNotice(
                        kind: .expiryNotice, eventKey: "expiry_notice:\(H.idText)",
                        recipients: [H.employee, H.supervisor]))
            ])
        #expect(
            flow.run(.expire, on: day("2026-03-03")) == [
                .setStatus(.expired),
                .audit(action: "expired", after: [:]),
                .notify(
                    FlowNotice(
                        kind: .expired, eventKey: "expired:\(H.idText)",
                        recipients: [H.employee, H.supervisor])),
            ])
        #expect(flow.request.status == .expired)
        #expect(flow.actions(.expire, on: day("2026-03-03")) == [])
        #expect(flow.actions(.expiryNotice, on: day("2026-03-03")) == [])
    }

    @Test("the stored evaluation's expiry wins over the engine's; a past notice date is not scheduled")
    func storedExpiry() throws {
        var flow = try H(FlowCase.rutgers[4], status: .approved)
        let day = TenantFixtures.date
        flow.request.evaluation.expiry = ArrangementExpiry(
            lastDay: day("2025-08-31"), noticeOn: day("2025-08-01"),
            ruleId: "fully_remote.max_duration", citation: nil)
        #expect(
            Self.timers(flow.actions(.activate, on: day("2025-03-03"))) == [
                .schedule(.expiryNotice, on: day("2025-08-01"), hour: 9),
                .schedule(.expire, on: day("2025-09-01"), hour: 0),
            ])
        #expect(Self.timers(flow.actions(.activate, on: day("2025-08-01"))).count == 2, "the notice date is today")
        #expect(
            Self.timers(flow.actions(.activate, on: day("2025-08-02")))
                == [.schedule(.expire, on: day("2025-09-01"), hour: 0)])
        flow.request.evaluation.expiry = nil
        #expect(
            Self.timers(flow.actions(.activate, on: day("2025-03-03"))) == [
                .schedule(.expiryNotice, on: day("2026-01-31"), hour: 9),
                .schedule(.expire, on: day("2026-03-03"), hour: 0),
            ])
    }

    @Test("a review announces itself and sets the next; activated late, the first not past (MIT: 3, then 12 months)")
    func reviews() throws {
        var flow = try H(FlowCase.mit[3], status: .approved)
        let day = TenantFixtures.date
        #expect(
            flow.actions(.activate, on: day("2025-06-04")).last
                == .schedule(.reviewDue(day("2026-06-03")), on: day("2026-06-03"), hour: 9))
        flow.run(.activate, on: day("2025-03-03"))
        #expect(
            flow.actions(.reviewDue(day("2025-06-03")), on: day("2025-06-03")) == [
                .audit(action: "review_due", after: ["date": "2025-06-03"]),
                .notify(
                    FlowNotice(
                        kind: .reviewDue, eventKey: "review_due:\(H.idText):2025-06-03",
                        recipients: [H.employee, H.supervisor], data: ["review_date": "2025-06-03"])),
                .schedule(.reviewDue(day("2026-06-03")), on: day("2026-06-03"), hour: 9),
            ])
        let undated = flow.actions(.reviewDue(nil), on: day("2026-06-03"))
        #expect(undated.first == .audit(action: "review_due", after: ["date": "2026-06-03"]))
        #expect(undated.last == .schedule(.reviewDue(day("2027-06-03")), on: day("2027-06-03"), hour: 9))
        flow.request.status = .expired
        #expect(flow.actions(.reviewDue(day("2026-06-03")), on: day("2026-06-03")) == [])
    }

    @Test("a review cycle stops at the end date (Rutgers seasonal: none within three months)")
    func reviewsEndWithTheArrangement() throws {
        let flow = try H(FlowCase.rutgers[2], status: .approved)
        #expect(Self.timers(flow.actions(.activate, on: TenantFixtures.date("2025-07-01"))) == [])
    }

    @Test(
        "reviews, expiry notices and expiry apply to an active arrangement only",
        arguments: [RequestStatus.pendingApproval, .approved, .withdrawn, .terminated, .expired])
    func onlyWhileActive(_ status: RequestStatus) throws {
        let flow = try H(FlowCase.rutgers[4], status: status)
        let today = TenantFixtures.date("2026-03-03")
        #expect(flow.actions(.reviewDue(today), on: today) == [])
        #expect(flow.actions(.expiryNotice, on: today) == [])
        #expect(flow.actions(.expire, on: today) == [])
    }
}

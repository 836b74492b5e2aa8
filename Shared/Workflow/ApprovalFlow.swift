import Foundation
import Policy

/// The approval workflow as a pure function: given a request, its steps, the policy version it was
/// routed under and the tenant's date today, the actions that answer an event. No I/O; running the
/// same event twice on the state it produced yields nothing new (the router relies on it).
///
/// Events that leave the state as it is (`.reviewDue`, `.expiryNotice`, and `.submitted` or
/// `.decided` for their compliance check and timer cancelling) repeat their actions when run
/// again: those carry the same event and unique keys, so the router's queue and the notifier's
/// deliveries drop the second copy.
public enum ApprovalFlow {
    /// The actions answering `event`, in the order they must be carried out; empty when the event
    /// no longer applies (the request closed, the step already decided, …).
    public static func actions(
        for event: FlowEvent, request: RequestRecord, steps: [StepRecord], engine: PolicyEngine,
        today: CivilDate
    ) -> [FlowAction] {
        let flow = FlowContext(request: request, steps: steps, engine: engine, today: today)
        switch event {
        case .submitted:
            return [.checkCompliance] + flow.advance()
        case .decided(let index):
            return (index.map { [FlowAction.cancelStepTimers(index: $0)] } ?? []) + flow.advance()
        case .reminder(let index):
            return flow.remind(step: index)
        case .escalate(let index):
            return flow.escalate(step: index)
        case .activate:
            return request.status == .approved ? flow.activation() : []
        case .ending(let kind):
            return flow.end(kind)
        case .reviewDue(let date):
            return flow.reviewDue(on: date ?? today)
        case .expiryNotice:
            return flow.expiryNotice()
        case .expire:
            return flow.expire()
        }
    }
}
